import { describe, expect, it } from 'vitest';
import { BUILTIN_MODEL_ALIASES, effectiveModelAliases } from './model-aliases.js';
import { ModelRouter } from './model-router.js';

const patterns = (aliases: readonly { pattern: string }[]) => aliases.map((alias) => alias.pattern);

describe('effectiveModelAliases', () => {
  it('is the built-in table when nothing is overridden', () => {
    expect(effectiveModelAliases({ enabled: true, overrides: {} })).toEqual([...BUILTIN_MODEL_ALIASES]);
  });

  it('is empty when aliases are turned off, configured ones included', () => {
    expect(effectiveModelAliases({ enabled: false, overrides: { 'x-*': ['y'] } })).toEqual([]);
  });

  it('replaces a built-in pattern, adds new ones and removes those set to null', () => {
    const aliases = effectiveModelAliases({
      enabled: true,
      overrides: { 'claude-haiku-4*': 'gemini-3-flash', 'gpt-5*-codex*': null, 'my-*': ['a', 'b'] },
    });
    expect(aliases.find((alias) => alias.pattern === 'claude-haiku-4*')).toEqual({
      pattern: 'claude-haiku-4*',
      models: ['gemini-3-flash'],
      client: 'configured',
      source: 'config',
    });
    expect(patterns(aliases)).not.toContain('gpt-5*-codex*');
    expect(aliases.find((alias) => alias.pattern === 'my-*')?.models).toEqual(['a', 'b']);
  });
});

describe('the built-in aliases', () => {
  const router = new ModelRouter({}, BUILTIN_MODEL_ALIASES);

  it.each([
    ['claude-opus-4-8', 'Claude Code main model (recorded request)'],
    ['claude-sonnet-4-6', 'Claude Code main model'],
    ['claude-haiku-4-5-20251001', 'Claude Code small/fast model'],
    ['claude-3-5-haiku-20241022', 'Claude Code small/fast model, older versions'],
    ['gpt-5.1-codex-max', 'Codex'],
    ['gpt-5.2', 'Codex'],
    ['gemini-2.5-pro', 'Gemini CLI'],
    ['gemini-3-flash-preview', 'Gemini CLI flash model'],
  ])('cover %s (%s): the model itself first, then other families', (model) => {
    const { kind, models } = router.resolve(model);
    expect(kind).toBe('alias');
    expect(models[0]).toBe(model);
    const families = new Set(models.map((name) => name.split('-')[0]));
    expect(families.size).toBeGreaterThanOrEqual(2);
  });

  it('route every model they name through an alias again, so listing them promises nothing the pool lacks', () => {
    for (const alias of BUILTIN_MODEL_ALIASES) {
      for (const model of alias.models) expect(router.resolve(model).kind, model).toBe('alias');
    }
  });
});
