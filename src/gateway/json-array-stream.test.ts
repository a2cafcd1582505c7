import { describe, expect, it } from 'vitest';
import { toJsonArrayStream } from './json-array-stream.js';

async function* chunks(parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

async function collect(stream: AsyncIterable<Buffer>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of stream) out.push(chunk.toString());
  return out;
}

describe('toJsonArrayStream', () => {
  it('re-frames SSE events as a JSON array, each element sent as its event completes', async () => {
    const out = await collect(toJsonArrayStream(chunks(['data: {"a":1}\n\nda', 'ta: {"b":2}\r\n\r\n'])));
    expect(out).toEqual(['[{"a":1}', ',\r\n{"b":2}', ']']);
    expect(JSON.parse(out.join(''))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps a mid-stream error event as the last element of a closed array', async () => {
    const sse = ['data: {"a":1}\n\n', 'data: {"error":{"code":502,"message":"broke"}}\n\n'];
    const parsed = JSON.parse((await collect(toJsonArrayStream(chunks(sse)))).join(''));
    expect(parsed).toEqual([{ a: 1 }, { error: { code: 502, message: 'broke' } }]);
  });

  it('answers an empty array for a stream without events and drops non-JSON data', async () => {
    expect((await collect(toJsonArrayStream(chunks(['data: [DONE]\n\n'])))).join('')).toBe('[]');
  });
});
