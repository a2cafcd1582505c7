import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/json.js';
import { convertToGeminiJsonSchema, convertToGeminiOpenApiSchema } from './convert-to-gemini-schema.js';

describe('convertToGeminiJsonSchema', () => {
  it('removes only $schema, at every level', () => {
    const schema: JsonObject = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { a: { type: 'string', format: 'uri' }, b: { anyOf: [{ $ref: '#/$defs/x' }] } },
      additionalProperties: false,
      $defs: { x: { type: 'integer', exclusiveMinimum: 0 } },
    };
    const { $schema: _schema, ...rest } = schema;
    expect(convertToGeminiJsonSchema(schema)).toEqual(rest);
  });
});

describe('convertToGeminiOpenApiSchema', () => {
  it.each<{ name: string; input: JsonObject; output: JsonObject | undefined }>([
    {
      name: 'removes keywords Gemini rejects',
      input: {
        $schema: 'https://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { n: { type: 'number', exclusiveMinimum: 0, examples: [1], minimum: 0 } },
        additionalProperties: false,
      },
      output: { type: 'object', properties: { n: { type: 'number', minimum: 0 } } },
    },
    {
      name: 'turns a null type member into nullable',
      input: { type: 'object', properties: { s: { type: ['string', 'null'] } } },
      output: { type: 'object', properties: { s: { type: 'string', nullable: true } } },
    },
    {
      name: 'turns a null anyOf branch into nullable and merges the single branch left',
      input: {
        type: 'object',
        properties: { s: { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'd' } },
      },
      output: { type: 'object', properties: { s: { type: 'string', description: 'd', nullable: true } } },
    },
    {
      name: 'reads oneOf as anyOf',
      input: { type: 'object', properties: { v: { oneOf: [{ type: 'string' }, { type: 'integer' }] } } },
      output: { type: 'object', properties: { v: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } },
    },
    {
      name: 'turns const into a one-value enum',
      input: { type: 'object', properties: { k: { type: 'string', const: 'fixed' } } },
      output: { type: 'object', properties: { k: { type: 'string', enum: ['fixed'] } } },
    },
    {
      name: 'drops enums that are not all strings',
      input: { type: 'object', properties: { k: { type: 'integer', enum: [1, 2] } } },
      output: { type: 'object', properties: { k: { type: 'integer' } } },
    },
    {
      name: 'keeps only the formats Gemini knows',
      input: {
        type: 'object',
        properties: {
          when: { type: 'string', format: 'date-time' },
          url: { type: 'string', format: 'uri' },
          big: { type: 'integer', format: 'int64' },
        },
      },
      output: {
        type: 'object',
        properties: {
          when: { type: 'string', format: 'date-time' },
          url: { type: 'string' },
          big: { type: 'integer', format: 'int64' },
        },
      },
    },
    {
      name: 'keeps only required names that are declared',
      input: { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost'] },
      output: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    },
    {
      name: 'inlines local references and drops the definitions',
      input: {
        type: 'object',
        properties: { p: { $ref: '#/$defs/point', description: 'where' } },
        $defs: {
          point: { type: 'object', properties: { x: { type: 'number' } }, additionalProperties: false },
        },
      },
      output: {
        type: 'object',
        properties: { p: { type: 'object', properties: { x: { type: 'number' } }, description: 'where' } },
      },
    },
    {
      name: 'merges allOf members',
      input: {
        type: 'object',
        properties: {
          m: {
            allOf: [
              { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
              { properties: { b: { type: 'string' } }, required: ['b'] },
            ],
          },
        },
      },
      output: {
        type: 'object',
        properties: {
          m: {
            type: 'object',
            properties: { a: { type: 'string' }, b: { type: 'string' } },
            required: ['a', 'b'],
          },
        },
      },
    },
    {
      name: 'leaves out an object without properties',
      input: { type: 'object', properties: {}, additionalProperties: false },
      output: undefined,
    },
    {
      name: 'treats a schema without type as an object',
      input: {},
      output: undefined,
    },
  ])('$name', ({ input, output }) => {
    expect(convertToGeminiOpenApiSchema(input)).toEqual(output);
  });

  it('cuts a recursive reference after a few levels instead of looping', () => {
    const tree: JsonObject = {
      type: 'object',
      properties: { node: { $ref: '#/$defs/node' } },
      $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' } } } },
    };
    const converted = JSON.stringify(convertToGeminiOpenApiSchema(tree));
    expect(converted.match(/"child"/g)?.length).toBe(4);
    expect(converted).not.toContain('$ref');
  });
});
