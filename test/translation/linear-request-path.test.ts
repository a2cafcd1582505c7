/**
 * No request can stall the gateway: every transformation of a request body on its way upstream
 * (parse, session id, decode, convert, serialize; pass-through included) does work linear in the
 * body's size, for every client protocol, provider kind and pathological shape. Work is counted
 * (array elements visited, copied or appended), never timed: a 4× larger body must cost about 4×,
 * where a path that re-copies what it built so far for each message costs about 16×.
 */
import { describe, expect, it } from 'vitest';
import { PROVIDER_KINDS, runRequestPath } from '../../bench/translate/pipeline.js';
import {
  buildBody,
  CLIENT_PROTOCOLS,
  deepSchemaBody,
  SHAPES,
  sizeFor,
} from '../../bench/translate/shapes.js';
import { countArrayWork } from '../support/array-work-meter.js';

/** Work ratio allowed for a 4× larger input: 4 is linear, 16 quadratic. */
const MAX_GROWTH = 6;
const SMALL_BYTES = 64 * 1024;

function workFor(options: Omit<Parameters<typeof runRequestPath>[0], 'raw'> & { body: unknown }): number {
  const raw = Buffer.from(JSON.stringify(options.body));
  return countArrayWork(() => runRequestPath({ ...options, raw })).work;
}

describe('the request path does linear work in the body size', () => {
  for (const protocol of CLIENT_PROTOCOLS) {
    for (const provider of PROVIDER_KINDS) {
      it.each(SHAPES)(`${protocol} → ${provider}: %s`, (shape) => {
        const n = sizeFor(protocol, shape, SMALL_BYTES);
        const small = workFor({ protocol, provider, body: buildBody(protocol, shape, n) });
        const large = workFor({ protocol, provider, body: buildBody(protocol, shape, 4 * n) });
        expect(small).toBeGreaterThan(0);
        expect(large / small).toBeLessThan(MAX_GROWTH);
      });

      it(`${protocol} → ${provider}: a tool schema nested 4× deeper costs about 4× the work`, () => {
        const small = workFor({ protocol, provider, body: deepSchemaBody(protocol, 50) });
        const large = workFor({ protocol, provider, body: deepSchemaBody(protocol, 200) });
        expect(large / small).toBeLessThan(MAX_GROWTH);
      });
    }
  }
});

describe('the work meter', () => {
  it('sees a quadratic merge as quadratic', () => {
    const merge = (n: number) =>
      countArrayWork(() => {
        let merged: number[] = [];
        for (let index = 0; index < n; index++) merged = [...merged, index];
        return merged;
      }).work;
    expect(merge(400) / merge(100)).toBeGreaterThan(12);
  });
});
