import type { Account } from '../../core/account.js';
import type { AuthorizedCredential } from '../provider-adapter.js';
import type { CodeAssistApi } from './code-assist-api.js';
import type { CodeAssistContext } from './code-assist-context.js';
import type { CodeAssistProjects } from './code-assist-projects.js';
import { type AvailableModelQuota, parseAvailableModels } from './parse-available-models.js';

/** What one quota read of a Code Assist account found. */
export interface CodeAssistQuotaReading {
  /** Remaining fraction and reset time per model id. */
  models: Record<string, AvailableModelQuota>;
}

/**
 * Quota of Code Assist accounts: `loadCodeAssist` (which also refreshes project and tier, stored by
 * `CodeAssistProjects`), then `fetchAvailableModels` for that project.
 */
export class CodeAssistQuota {
  constructor(
    private readonly options: {
      api: CodeAssistApi;
      projects: CodeAssistProjects;
      context: CodeAssistContext;
    },
  ) {}

  supports(account: Account): boolean {
    return account.provider === 'code-assist' && account.credential.type === 'oauth';
  }

  async read(account: Account, credential: AuthorizedCredential): Promise<CodeAssistQuotaReading> {
    const info = await this.options.projects.discover(account, credential.value);
    const project = info.projectId ?? this.options.context.projectOf(account);
    const answer = await this.options.api.fetchAvailableModels(account, credential.value, project);
    return { models: parseAvailableModels(answer) };
  }
}
