import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMappingEdit, mappingRows, removeMapping, validateMappingEdit } from './mapping-table.js';

const mapping = {
  'gpt-4*': 'gpt-4.1-mini',
  'claude-sonnet-4': 'claude-sonnet-4-5',
  'gemini-*': 'gemini-2.5-flash',
};

describe('applyMappingEdit', () => {
  it('adds a new rule at the end, names trimmed', () => {
    expect(mappingRows(applyMappingEdit(mapping, { from: ' o3* ', to: ' o4-mini ' })).at(-1)).toEqual({
      from: 'o3*',
      to: 'o4-mini',
    });
  });

  it('changes the target of a rule in place', () => {
    const next = applyMappingEdit(mapping, { previousFrom: 'gpt-4*', from: 'gpt-4*', to: 'gpt-4o' });
    expect(mappingRows(next)).toEqual([
      { from: 'gpt-4*', to: 'gpt-4o' },
      { from: 'claude-sonnet-4', to: 'claude-sonnet-4-5' },
      { from: 'gemini-*', to: 'gemini-2.5-flash' },
    ]);
  });

  it('renames a rule keeping its place and dropping the old name', () => {
    const next = applyMappingEdit(mapping, {
      previousFrom: 'claude-sonnet-4',
      from: 'claude-*',
      to: 'claude-sonnet-4-5',
    });
    expect(Object.keys(next)).toEqual(['gpt-4*', 'claude-*', 'gemini-*']);
  });

  it('leaves the input untouched', () => {
    const before = { ...mapping };
    applyMappingEdit(mapping, { from: 'x', to: 'y' });
    removeMapping(mapping, 'gpt-4*');
    expect(mapping).toEqual(before);
  });

  it('stores a comma-separated target as a fallback chain and shows it the same way', () => {
    const next = applyMappingEdit(mapping, { from: 'opus', to: ' claude-opus-4-5 , gemini-2.5-pro ' });
    expect(next['opus']).toEqual(['claude-opus-4-5', 'gemini-2.5-pro']);
    expect(mappingRows(next).at(-1)).toEqual({ from: 'opus', to: 'claude-opus-4-5, gemini-2.5-pro' });
  });

  it('refuses what validation refuses', () => {
    expect(() => applyMappingEdit(mapping, { from: 'gemini-*', to: 'x' })).toThrow('already a rule');
  });

  it('keeps every other rule whatever the edit (property)', () => {
    const name = fc.stringMatching(/^[a-z0-9*.-]{1,12}$/);
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.stringMatching(/^[a-z0-9.-]{1,12}$/)),
        name,
        name,
        (table, from, to) => {
          fc.pre(!to.includes('*'));
          const keys = Object.keys(table);
          const previousFrom = keys[0];
          const edit = { previousFrom, from, to };
          if (validateMappingEdit(table, edit) !== null) return;
          const next = applyMappingEdit(table, edit);
          expect(next[from]).toBe(to);
          for (const key of keys.slice(1)) if (key !== from) expect(next[key]).toBe(table[key]);
          expect(Object.keys(next)).toHaveLength(keys.length === 0 ? 1 : keys.length);
        },
      ),
    );
  });
});

describe('validateMappingEdit', () => {
  it.each([
    [{ from: '', to: 'x' }, 'Enter the model name'],
    [{ from: 'x', to: '  ' }, 'Enter the model to send'],
    [{ from: 'x', to: 'gpt-*' }, 'without *'],
    [{ from: 'x', to: 'a,,b' }, 'single commas'],
    [{ from: 'gpt-4*', to: 'x' }, 'already a rule for gpt-4*'],
    [{ previousFrom: 'claude-sonnet-4', from: 'gemini-*', to: 'x' }, 'already a rule for gemini-*'],
    [{ previousFrom: 'gone', from: 'gone', to: 'x' }, 'no longer exists'],
  ])('rejects %o: %s', (edit, message) => {
    expect(validateMappingEdit(mapping, edit)).toContain(message);
  });

  it('accepts a new rule and an edit that keeps the name', () => {
    expect(validateMappingEdit(mapping, { from: 'o3', to: 'o4-mini' })).toBeNull();
    expect(validateMappingEdit(mapping, { previousFrom: 'gpt-4*', from: 'gpt-4*', to: 'y' })).toBeNull();
  });
});

describe('removeMapping', () => {
  it('removes only the named rule', () => {
    expect(removeMapping(mapping, 'claude-sonnet-4')).toEqual({
      'gpt-4*': 'gpt-4.1-mini',
      'gemini-*': 'gemini-2.5-flash',
    });
    expect(removeMapping(mapping, 'unknown')).toEqual(mapping);
  });
});
