import type { ProviderDescriptor } from '../provider-descriptor.js';

/** OpenAI Chat Completions and compatible servers, added with an API key. */
export const openAIProvider: ProviderDescriptor<'openai'> = {
  kind: 'openai',
  title: 'OpenAI-compatible',
  baseUrlPlaceholder: 'https://api.openai.com/v1',
  auth: { apiKey: true, oauth: false },
  warmupModel: 'gpt-5-mini',
  loadAdapter: async () => {
    const { openAIAdapter } = await import('./openai-adapter.js');
    return () => openAIAdapter;
  },
};
