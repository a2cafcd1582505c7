import type { ProviderDescriptor } from '../provider-descriptor.js';

/** The Gemini API, added with an API key or signed in with OAuth. */
export const geminiProvider: ProviderDescriptor<'gemini'> = {
  kind: 'gemini',
  title: 'Gemini',
  baseUrlPlaceholder: 'https://generativelanguage.googleapis.com',
  auth: { apiKey: true, oauth: true },
  warmupModel: 'gemini-2.5-flash',
  loadAdapter: async () => {
    const { geminiAdapter } = await import('./gemini-adapter.js');
    return () => geminiAdapter;
  },
};
