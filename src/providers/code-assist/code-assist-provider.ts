import type { ProviderDescriptor } from '../provider-descriptor.js';

/** Google Code Assist (the Gemini CLI / Antigravity backend), signed in with OAuth only. */
export const codeAssistProvider: ProviderDescriptor<'code-assist'> = {
  kind: 'code-assist',
  title: 'Google Code Assist (OAuth)',
  baseUrlPlaceholder: 'default: the code_assist.base_urls of the config',
  auth: { apiKey: false, oauth: true },
  warmupModel: 'gemini-2.5-flash',
  loadAdapter: async () => {
    const { createCodeAssistAdapter } = await import('./code-assist-adapter.js');
    return (context) => createCodeAssistAdapter(context.codeAssist);
  },
};
