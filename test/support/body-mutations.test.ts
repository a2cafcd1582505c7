import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonPath, jsonPaths, type Mutation, materialize, valueAt } from './body-mutations.js';
import { mutationsOf, wrongTypeAtEveryPath } from './mutation-arbitraries.js';

const SAMPLE = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }], stream: false };
const LIMIT = 4096;

const send = (mutation: Mutation) => materialize(SAMPLE, mutation, LIMIT);
const parsed = (mutation: Mutation) => JSON.parse(send(mutation).body.toString('utf8')) as unknown;

describe('jsonPaths', () => {
  it('lists the root, every container and every leaf', () => {
    expect(jsonPaths(SAMPLE)).toEqual([
      [],
      ['model'],
      ['messages'],
      ['messages', 0],
      ['messages', 0, 'role'],
      ['messages', 0, 'content'],
      ['stream'],
    ]);
  });
});

describe('materialize', () => {
  it('truncated: the valid JSON text cut short', () => {
    const text = send({ kind: 'truncated', fraction: 0.5 }).body.toString('utf8');
    expect(JSON.stringify(SAMPLE).startsWith(text)).toBe(true);
    expect(text.length).toBe(Math.floor(JSON.stringify(SAMPLE).length / 2));
  });

  it('wrong-type and odd-string: only the value at the path changes', () => {
    const path: JsonPath = ['messages', 0, 'content'];
    const body = parsed({ kind: 'wrong-type', path, value: [1, 2] });
    expect(valueAt(body, path)).toEqual([1, 2]);
    expect(valueAt(body, ['model'])).toBe('gpt-4o');
    expect(parsed({ kind: 'odd-string', path: ['model'], value: 'a\r\nb' })).toMatchObject({
      model: 'a\r\nb',
    });
    expect(parsed({ kind: 'wrong-type', path: [], value: 42 })).toBe(42);
  });

  it('huge-string and huge-array: the value at the path, that long', () => {
    const text = parsed({ kind: 'huge-string', path: ['model'], unit: 'ab', length: 5000 });
    expect(valueAt(text, ['model'])).toBe('ab'.repeat(5000));
    const list = parsed({ kind: 'huge-array', path: ['messages'], element: {}, length: 3000 });
    expect(valueAt(list, ['messages'])).toHaveLength(3000);
  });

  it('deep-nesting: the value wrapped that many times, built as text', () => {
    const depth = 200_000;
    const body = send({ kind: 'deep-nesting', path: ['stream'], container: 'array', depth }).body.toString(
      'utf8',
    );
    expect(body).toContain(`"stream":${'['.repeat(depth)}false${']'.repeat(depth)}`);
    const objects = parsed({ kind: 'deep-nesting', path: ['stream'], container: 'object', depth: 3 });
    expect(valueAt(objects, ['stream'])).toEqual({ a: { a: { a: false } } });
  });

  it('prototype-key: an own key named __proto__ first in the object, the rest kept', () => {
    const body = parsed({
      kind: 'prototype-key',
      path: ['messages', 0],
      key: '__proto__',
      value: { polluted: 1 },
    });
    const message = valueAt(body, ['messages', 0]) as object;
    expect(Object.keys(message)).toEqual(['__proto__', 'role', 'content']);
    expect(Object.getOwnPropertyDescriptor(message, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(Object.getPrototypeOf(message)).toBe(Object.prototype);
  });

  it('invalid-utf8: the bytes inside the string, which no longer decodes as UTF-8', () => {
    const { body } = send({ kind: 'invalid-utf8', path: ['model'], bytes: [0xc3, 0x28] });
    expect(body.includes(Buffer.from([0xc3, 0x28]))).toBe(true);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(body)).toThrow();
  });

  it('lone-surrogate: valid JSON whose string holds an unpaired surrogate', () => {
    const body = parsed({ kind: 'lone-surrogate', path: ['model'], escape: '\\ud800' });
    expect(String(valueAt(body, ['model']))).toMatch(/\ud800/);
  });

  it('content-type and oversized: the valid body with another header, or over the limit', () => {
    expect(send({ kind: 'content-type', contentType: null })).toMatchObject({ contentType: null });
    const big = send({ kind: 'oversized', extraBytes: 10, chunked: true });
    expect(big.body.length).toBeGreaterThan(LIMIT);
    expect(big.chunked).toBe(true);
  });
});

describe('arbitraries', () => {
  it('wrongTypeAtEveryPath changes the JSON type at every path once', () => {
    const mutations = wrongTypeAtEveryPath(SAMPLE);
    expect(mutations.map((mutation) => (mutation.kind === 'wrong-type' ? mutation.path : null))).toEqual(
      jsonPaths(SAMPLE),
    );
    for (const mutation of mutations) {
      if (mutation.kind !== 'wrong-type') continue;
      expect(
        typeof mutation.value === typeof valueAt(SAMPLE, mutation.path) &&
          Array.isArray(mutation.value) === Array.isArray(valueAt(SAMPLE, mutation.path)),
      ).toBe(false);
    }
  });

  it('every kind generates mutations that materialize', () => {
    const arbitraries = mutationsOf(SAMPLE, { maxStringLength: 20_000, maxArrayLength: 2000, maxDepth: 500 });
    for (const [kind, arbitrary] of Object.entries(arbitraries)) {
      for (const mutation of fc.sample(arbitrary, { numRuns: 5, seed: 1 })) {
        expect(mutation.kind).toBe(kind);
        expect(send(mutation).body).toBeInstanceOf(Buffer);
      }
    }
  });
});
