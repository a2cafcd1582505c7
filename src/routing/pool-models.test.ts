import { describe, expect, it } from 'vitest';
import { testAccount } from '../scheduler/test-account.js';
import type { ModelAlias } from './model-aliases.js';
import { type ModelMapping, ModelRouter } from './model-router.js';
import { poolModels } from './pool-models.js';
import type { RoutingTable } from './routing-table.js';

/** A routing table with exactly these aliases (the built-in ones left out). */
function routing(mapping: ModelMapping = {}, aliases: readonly ModelAlias[] = []): RoutingTable {
  return { router: new ModelRouter(mapping, aliases), mapping, aliases };
}

const quota = (source: 'api' | 'headers') => ({ remainingFraction: 1, resetAt: null, observedAt: 0, source });

describe('poolModels', () => {
  it("lists usable accounts' concrete models and the models their quota API reported, sorted", () => {
    const accounts = [
      testAccount('a', { provider: 'openai', models: ['gpt-5', 'gpt-4*'] }),
      testAccount('b', {
        provider: 'code-assist',
        quota: {
          'gemini-3-flash': quota('api'),
          'claude-sonnet-4-6': quota('api'),
          'seen-in-headers': quota('headers'),
        },
      }),
    ];
    expect(poolModels({ accounts, routing: routing() })).toEqual([
      { id: 'claude-sonnet-4-6', ownedBy: 'code-assist' },
      { id: 'gemini-3-flash', ownedBy: 'code-assist' },
      { id: 'gpt-5', ownedBy: 'openai' },
    ]);
  });

  it('leaves out disabled and proxy-disabled accounts', () => {
    const accounts = [
      testAccount('a', { models: ['off-model'], disabled: true }),
      testAccount('b', { models: ['proxy-off-model'], proxyDisabled: true }),
      testAccount('c', { models: ['on-model'] }),
    ];
    expect(poolModels({ accounts, routing: routing() }).map((model) => model.id)).toEqual(['on-model']);
  });

  it('adds mapping keys, chain and alias models when a model they resolve to is served', () => {
    const models = poolModels({
      accounts: [testAccount('a', { models: ['gemini-2.5-pro', 'gpt-5'] })],
      routing: routing(
        { 'claude-opus-4-*': ['claude-opus-4-5', 'gemini-2.5-pro'], 'my-model': 'gpt-5', dead: 'nowhere' },
        [{ pattern: 'x-*', models: ['x-target', 'gpt-5'], client: 'c', source: 'builtin' }],
      ),
    });
    expect(models).toEqual([
      { id: 'claude-opus-4-5', ownedBy: 'switchyard' },
      { id: 'gemini-2.5-pro', ownedBy: 'openai' },
      { id: 'gpt-5', ownedBy: 'openai' },
      { id: 'my-model', ownedBy: 'switchyard' },
      { id: 'x-target', ownedBy: 'switchyard' },
    ]);
  });

  it('lists a chain model through its own mapping: claude-opus-4-5 falls back to a served model', () => {
    const models = poolModels({
      accounts: [testAccount('a', { models: ['gemini-2.5-pro'] })],
      routing: routing({ 'claude-opus-4-*': ['claude-opus-4-5', 'gemini-2.5-pro'] }),
    });
    expect(models.map((model) => model.id)).toEqual(['claude-opus-4-5', 'gemini-2.5-pro']);
  });

  it('promises nothing when no account is usable', () => {
    const models = poolModels({
      accounts: [testAccount('a', { disabled: true }), testAccount('b', { proxyDisabled: true })],
      routing: routing({ 'my-model': 'gpt-5' }, [
        { pattern: 'x-*', models: ['x-target'], client: 'c', source: 'builtin' },
      ]),
    });
    expect(models).toEqual([]);
  });
});
