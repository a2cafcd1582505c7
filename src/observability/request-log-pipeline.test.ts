import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import type { RequestLogEntry, RequestLogSink } from './request-log-entry.js';
import { RequestLogPipeline } from './request-log-pipeline.js';
import { sampleRequestLogEntry } from './sample-request-log-entry.js';

function collecting(): RequestLogSink & { seen: string[] } {
  const seen: string[] = [];
  return { seen, record: (entry: RequestLogEntry) => void seen.push(entry.id) };
}

describe('RequestLogPipeline', () => {
  it('hands each entry to every sink', () => {
    const first = collecting();
    const second = collecting();
    const pipeline = new RequestLogPipeline([first, second]);
    pipeline.record(sampleRequestLogEntry({ id: 'a' }));
    pipeline.record(sampleRequestLogEntry({ id: 'b' }));
    expect(first.seen).toEqual(['a', 'b']);
    expect(second.seen).toEqual(['a', 'b']);
  });

  it('logs a throwing sink and still reaches the sinks after it, without throwing', () => {
    const messages: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        messages.push((JSON.parse(chunk.toString('utf8')) as { msg: string }).msg);
        callback();
      },
    });
    const broken: RequestLogSink = {
      record: () => {
        throw new Error('boom');
      },
    };
    const after = collecting();
    const pipeline = new RequestLogPipeline([broken, after], createLogger({ destination }));
    expect(() => pipeline.record(sampleRequestLogEntry({ id: 'x' }))).not.toThrow();
    expect(after.seen).toEqual(['x']);
    expect(messages).toEqual(['request log sink failed']);
  });
});
