import type { ProviderDescriptor } from '../provider-descriptor.js';

/** The Anthropic Messages API, added with an API key. */
export const anthropicProvider: ProviderDescriptor<'anthropic'> = {
  kind: 'anthropic',
  title: 'Anthropic',
  baseUrlPlaceholder: 'https://api.anthropic.com',
  auth: { apiKey: true, oauth: false },
  warmupModel: 'claude-haiku-4-5',
  loadAdapter: async () => {
    const { anthropicAdapter } = await import('./anthropic-adapter.js');
    return () => anthropicAdapter;
  },
};
