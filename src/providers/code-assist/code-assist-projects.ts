import type { Account } from '../../core/account.js';
import type { Clock } from '../../core/clock.js';
import type { AccountPatch } from '../../store/account-patch.js';
import { CredentialError, type CredentialProvider } from '../auth/credential-provider.js';
import { SingleFlight } from '../auth/single-flight.js';
import type { CodeAssistApi } from './code-assist-api.js';
import { CODE_ASSIST_EXTRA_KEY, type CodeAssistContext, codeAssistExtra } from './code-assist-context.js';
import { onboardCodeAssistUser } from './code-assist-onboarding.js';
import { type CodeAssistAccountInfo, parseLoadCodeAssist, tierFromName } from './parse-load-code-assist.js';

/** The part of the account store discovery writes to. */
export interface CodeAssistAccountStore {
  get(id: string): Account | undefined;
  update(id: string, patch: AccountPatch): Promise<Account>;
}

export interface CodeAssistProjectsOptions {
  api: CodeAssistApi;
  accounts: CodeAssistAccountStore;
  context: CodeAssistContext;
  /** Paces the polls of an onboarding operation. */
  clock: Clock;
  /** Waits between onboarding polls; default `ONBOARDING_POLL_DELAYS_MS`. */
  onboardingPollDelaysMs?: readonly number[];
  /** A discovered project or tier that could not be stored (it is still used from memory). */
  onError?: (error: unknown, account: Account) => void;
}

/**
 * Project and tier discovery through `loadCodeAssist` — and, for an account that has no project
 * yet, onboarding (`onboardUser`, its operation polled until done) — one at a time per account,
 * the result stored in the account (`extra['code-assist']`, `tier`). A failed discovery is not
 * remembered — the next request tries again — and an account is never given a made-up project
 * (the reference pinned failed accounts to a fixed fallback project until restart).
 */
export class CodeAssistProjects {
  private readonly flights = new SingleFlight<CodeAssistAccountInfo>();

  constructor(private readonly options: CodeAssistProjectsOptions) {}

  /** The account's project, discovered first when unknown. Throws `CredentialError` when there is none. */
  async ensure(account: Account, accessToken: string): Promise<string> {
    const known = this.options.context.projectOf(this.options.accounts.get(account.id) ?? account);
    if (known) return known;
    let info: CodeAssistAccountInfo;
    try {
      info = await this.discover(account, accessToken);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CredentialError(`Code Assist project set-up for ${account.email} failed: ${reason}`, false);
    }
    if (!info.projectId) {
      throw new CredentialError(`Code Assist has no project for ${account.email} after onboarding`, false);
    }
    return info.projectId;
  }

  /**
   * Calls `loadCodeAssist` (joining a call in flight), onboards the account when it has no
   * project, and stores project, tier and tier name. Throws when either call fails.
   */
  discover(account: Account, accessToken: string): Promise<CodeAssistAccountInfo> {
    return this.flights.run(account.id, async () => {
      let info = parseLoadCodeAssist(await this.options.api.loadCodeAssist(account, accessToken));
      if (!info.projectId) info = await this.onboard(account, accessToken, info);
      if (info.projectId) this.options.context.rememberProject(account.id, info.projectId);
      await this.store(account.id, info).catch((error: unknown) => this.options.onError?.(error, account));
      return info;
    });
  }

  private async onboard(
    account: Account,
    accessToken: string,
    info: CodeAssistAccountInfo,
  ): Promise<CodeAssistAccountInfo> {
    const projectId = await onboardCodeAssistUser({
      api: this.options.api,
      clock: this.options.clock,
      account,
      accessToken,
      tierId: info.onboardTierId,
      ineligibleReasons: info.ineligibleReasons,
      ...(this.options.onboardingPollDelaysMs ? { pollDelaysMs: this.options.onboardingPollDelaysMs } : {}),
    });
    const tier = info.tier ?? tierFromName(info.onboardTierId);
    return { ...info, projectId, tier, tierName: info.tierName ?? info.onboardTierId };
  }

  private async store(accountId: string, info: CodeAssistAccountInfo): Promise<void> {
    const current = this.options.accounts.get(accountId);
    if (!current) return;
    const previous = codeAssistExtra(current);
    const extra = {
      ...previous,
      ...(info.projectId ? { projectId: info.projectId } : {}),
      ...(info.tierName ? { tierName: info.tierName } : {}),
    };
    const patch: AccountPatch = { mergeExtra: { [CODE_ASSIST_EXTRA_KEY]: extra } };
    if (info.tier !== null) patch.tier = info.tier;
    await this.options.accounts.update(accountId, patch);
  }
}

/**
 * A credential provider that, for `code-assist` accounts, also makes sure the account's project is
 * known before the first request goes out (the adapter builds requests synchronously).
 */
export function withCodeAssistProjects(
  inner: CredentialProvider,
  projects: CodeAssistProjects,
): CredentialProvider {
  return {
    async authorize(account, options) {
      const credential = await inner.authorize(account, options);
      if (account.provider === 'code-assist') await projects.ensure(account, credential.value);
      return credential;
    },
  };
}
