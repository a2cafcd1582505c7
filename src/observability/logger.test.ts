import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_LOG_STRING } from './bound-log-value.js';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ destination }), lines };
}

describe('createLogger', () => {
  it('bounds a large value in a log line', () => {
    const { logger, lines } = capture();
    logger.warn({ field: 'z'.repeat(1_000_000), items: new Array(10_000).fill('i') }, 'large');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(MAX_LOG_STRING + 1000);
  });

  it('still redacts secrets in a line whose other values were bounded', () => {
    const { logger, lines } = capture();
    logger.warn({ api_key: 'sk-secret', note: 'n'.repeat(MAX_LOG_STRING * 2) }, 'with secret');
    expect(lines[0]).not.toContain('sk-secret');
    expect(JSON.parse(lines[0]!)).toMatchObject({ api_key: '[redacted]' });
  });
});
