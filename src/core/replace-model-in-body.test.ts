import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replaceModelInBody } from './replace-model-in-body.js';

const rewrite = (text: string, model: string) =>
  replaceModelInBody(Buffer.from(text), model)?.toString() ?? null;

describe('replaceModelInBody', () => {
  it('changes only the top-level model value, keeping every other byte', () => {
    const body = '{"temperature": 1.0, "model" : "claude-opus-4-8",\n "x": "\\u00e9", "n": 1e3}';
    expect(rewrite(body, 'claude-sonnet-4-6')).toBe(
      '{"temperature": 1.0, "model" : "claude-sonnet-4-6",\n "x": "\\u00e9", "n": 1e3}',
    );
  });

  it('ignores nested model keys and model-like strings', () => {
    const body = '{"metadata":{"model":"inner"},"note":"\\"model\\": \\"fake\\"","model":"outer"}';
    expect(rewrite(body, 'new')).toBe(
      '{"metadata":{"model":"inner"},"note":"\\"model\\": \\"fake\\"","model":"new"}',
    );
  });

  it('ignores a model key inside an array of objects', () => {
    expect(rewrite('{"items":[{"model":"a"}],"model":"b"}', 'c')).toBe(
      '{"items":[{"model":"a"}],"model":"c"}',
    );
  });

  it('returns null when there is no top-level string model', () => {
    expect(rewrite('{"messages":[]}', 'x')).toBeNull();
    expect(rewrite('{"model": 3}', 'x')).toBeNull();
  });

  it('escapes the new model name', () => {
    expect(rewrite('{"model":"a"}', 'we"ird')).toBe('{"model":"we\\"ird"}');
  });

  it('agrees with parse-modify-serialize on arbitrary objects', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.string(),
        fc.string(),
        (object, before, after) => {
          const body = { ...object, model: before };
          const result = rewrite(JSON.stringify(body), after);
          expect(result).not.toBeNull();
          expect(JSON.parse(result as string)).toEqual(JSON.parse(JSON.stringify({ ...body, model: after })));
        },
      ),
    );
  });
});
