import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { cleanJsonSchema } from './clean-json-schema.js';

const nested: JsonObject = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    $schema: { type: 'string', format: 'uri' },
    list: { type: 'array', items: { type: 'string', format: 'date' } },
    tuple: { type: 'array', prefixItems: [{ type: 'string', format: 'email' }] },
    choice: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
    map: { type: 'object', additionalProperties: { type: 'string', format: 'ipv4' } },
  },
  $defs: { thing: { type: 'string', format: 'hostname' } },
};

describe('cleanJsonSchema', () => {
  it('removes keywords at every schema position but never property names', () => {
    const cleaned = cleanJsonSchema(nested, { removeKeywords: ['$schema', 'format'] });
    expect(cleaned).toEqual({
      type: 'object',
      properties: {
        $schema: { type: 'string' },
        list: { type: 'array', items: { type: 'string' } },
        tuple: { type: 'array', prefixItems: [{ type: 'string' }] },
        choice: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        map: { type: 'object', additionalProperties: { type: 'string' } },
      },
      $defs: { thing: { type: 'string' } },
    });
  });

  it('keeps a property named __proto__ as a property', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string","format":"x"}}}');
    const cleaned = cleanJsonSchema(schema, { removeKeywords: ['format'] });
    expect(Object.keys(cleaned.properties as object)).toEqual(['__proto__']);
    expect(JSON.stringify(cleaned)).toBe('{"type":"object","properties":{"__proto__":{"type":"string"}}}');
  });

  it('does not modify its input', () => {
    const copy = structuredClone(nested);
    cleanJsonSchema(nested, { removeKeywords: ['format'], objectRoot: true });
    expect(nested).toEqual(copy);
  });

  it.each([
    {
      name: 'adds type and properties to an empty root',
      input: {},
      output: { type: 'object', properties: {} },
    },
    {
      name: 'adds properties to an object root without them',
      input: { type: 'object' },
      output: { type: 'object', properties: {} },
    },
    {
      name: 'keeps a root that already has both',
      input: { type: 'object', properties: { a: { type: 'string' } } },
      output: { type: 'object', properties: { a: { type: 'string' } } },
    },
  ])('objectRoot $name', ({ input, output }) => {
    expect(cleanJsonSchema(input as JsonObject, { objectRoot: true })).toEqual(output);
  });

  it('applies the transform to every schema, children first', () => {
    const seen: string[] = [];
    cleanJsonSchema(
      {
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'number' } } },
      },
      {
        transform: (schema) => {
          seen.push(String(schema.type));
          return schema;
        },
      },
    );
    expect(seen).toEqual(['string', 'number', 'array', 'object']);
  });
});
