import { z } from 'zod';
import type { Account } from '../../core/account.js';
import type { Clock } from '../../core/clock.js';
import type { CodeAssistApi } from './code-assist-api.js';

/**
 * Waits between two checks of the onboarding operation, in ms: it usually finishes within
 * seconds; after the last wait (about 37 s in all) the account is reported as not onboarded yet
 * and the next request or quota refresh starts over.
 */
export const ONBOARDING_POLL_DELAYS_MS: readonly number[] = [
  500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000, 5000,
];

const operationSchema = z.looseObject({
  name: z.string().optional().catch(undefined),
  done: z.boolean().optional().catch(undefined),
  error: z.looseObject({ message: z.string().optional() }).optional().catch(undefined),
  response: z
    .looseObject({
      cloudaicompanionProject: z
        .union([z.string(), z.looseObject({ id: z.string().optional() })])
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});
type Operation = z.output<typeof operationSchema>;

/** An operation name as Google gives them (`operations/…`); never a path that climbs out of the base URL. */
const OPERATION_NAME = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._~\-/]+$/;

export interface OnboardOptions {
  api: CodeAssistApi;
  clock: Clock;
  account: Account;
  accessToken: string;
  /** The tier to onboard with (`loadCodeAssist`: the default allowed tier). */
  tierId: string;
  /** Why the account cannot use some tiers, added to the error when no project comes back. */
  ineligibleReasons: readonly string[];
  /** Default `ONBOARDING_POLL_DELAYS_MS`. */
  pollDelaysMs?: readonly number[];
}

function parse(json: unknown): Operation {
  const parsed = operationSchema.safeParse(json);
  return parsed.success ? parsed.data : {};
}

function projectOf(operation: Operation): string | null {
  const project = operation.response?.cloudaicompanionProject;
  const id = typeof project === 'string' ? project : project?.id;
  return id ? id : null;
}

/**
 * Onboards a Code Assist account that has no project yet, as the Gemini CLI and Antigravity do:
 * `onboardUser` with the tier, then the long-running operation is polled (`getOperation`; by
 * calling `onboardUser` again when the answer names no operation) with growing waits from the
 * injected clock, a bounded number of times. Resolves the project the operation created; throws an
 * Error saying what went wrong (the operation's error, the account's ineligibility, or no end in
 * time) otherwise.
 */
export async function onboardCodeAssistUser(options: OnboardOptions): Promise<string> {
  const { api, account, accessToken, tierId } = options;
  let operation = parse(await api.onboardUser(account, accessToken, tierId));
  const delays = options.pollDelaysMs ?? ONBOARDING_POLL_DELAYS_MS;
  for (const delay of delays) {
    if (operation.done) break;
    await options.clock.sleep(delay);
    const name = operation.name;
    if (name !== undefined && !OPERATION_NAME.test(name)) {
      throw new Error(`onboardUser answered with an operation name that is not one: ${JSON.stringify(name)}`);
    }
    const next = name
      ? await api.getOperation(account, accessToken, name)
      : await api.onboardUser(account, accessToken, tierId);
    operation = { name, ...parse(next) };
  }
  if (!operation.done) {
    const seconds = Math.round(delays.reduce((sum, delay) => sum + delay, 0) / 1000);
    throw new Error(
      `onboarding (tier ${tierId}) did not finish within ${seconds} s (${delays.length} checks); it is tried again on the next request`,
    );
  }
  if (operation.error) {
    throw new Error(`onboarding (tier ${tierId}) failed: ${operation.error.message ?? 'no details given'}`);
  }
  const project = projectOf(operation);
  if (project) return project;
  const why = options.ineligibleReasons.length > 0 ? `: ${options.ineligibleReasons.join('; ')}` : '';
  throw new Error(
    `onboarding (tier ${tierId}) finished without a project${why}; a Workspace account may need a Google Cloud project with Gemini Code Assist enabled`,
  );
}
