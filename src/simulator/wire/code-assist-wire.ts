/**
 * Google Cloud Code `v1internal`: requests wrap a Generative Language request as
 * `{model, project, request}`, answers (and each stream event) come back as `{response, traceId}`;
 * plus the account endpoints `loadCodeAssist`, `onboardUser` (with `GET /v1internal/operations/…`
 * to poll its operation) and `fetchAvailableModels`.
 */

import { isJsonObject } from '../../core/json.js';
import type { MockModel } from './behaviours.js';
import {
  generateReply,
  googleError,
  googleStreamError,
  promptTokens,
  rejectGoogleReasoning,
} from './gemini-wire.js';
import { formatRfc3339 } from './rate-limit-headers.js';
import type { Reply, Wire, WireContext } from './reply.js';
import { jsonReply } from './reply.js';

const DOMAIN = 'cloudcode-pa.googleapis.com';
const DEFAULT_MODELS = ['gemini-2.5-pro', 'gemini-2.5-flash', 'claude-sonnet-4-5'];
const DEFAULT_RESET_SECONDS = 5 * 3600;

function tier(id: string) {
  return { id, name: id, description: `Mock ${id}`, userDefinedCloudaicompanionProject: false };
}

function loadCodeAssist(context: WireContext) {
  const options = context.behaviour.codeAssist ?? {};
  const tierId = options.tierId ?? 'standard-tier';
  const onboarded = options.project !== null;
  return {
    ...(onboarded ? { currentTier: tier(tierId) } : {}),
    allowedTiers: [{ ...tier(tierId), isDefault: true }],
    ...(options.paidTierId ? { paidTier: tier(options.paidTierId) } : {}),
    ...(options.ineligible
      ? { ineligibleTiers: [{ reasonCode: 'INELIGIBLE_ACCOUNT', reasonMessage: options.ineligible }] }
      : {}),
    ...(onboarded ? { cloudaicompanionProject: options.project ?? 'mock-project' } : {}),
    gcpManaged: false,
  };
}

/**
 * A long-running operation of `onboardUser`, named `operations/onboard-<sequence>` (a poll keeps
 * the name in its path); once done it carries the created project, or the error.
 */
function operation(context: WireContext) {
  const options = context.behaviour.operation ?? {};
  const name =
    context.route.operation === 'get-operation'
      ? context.path.replace(/^\/v1internal\//, '')
      : `operations/onboard-${context.sequence}`;
  if (options.done === false) return { name, done: false };
  if (options.error !== undefined) return { name, done: true, error: { code: 400, message: options.error } };
  const project = options.project === undefined ? 'mock-onboarded-project' : options.project;
  const response = {
    '@type': 'type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse',
    ...(project === null ? {} : { cloudaicompanionProject: { id: project, name: project } }),
  };
  return { name, done: true, response };
}

function availableModels(context: WireContext) {
  const models: MockModel[] = context.behaviour.models ?? DEFAULT_MODELS.map((id) => ({ id }));
  const entries = models.map((model) => [
    model.id,
    {
      displayName: model.id,
      maxTokens: 1_048_576,
      maxOutputTokens: 65_536,
      quotaInfo: {
        remainingFraction: model.remainingFraction ?? 1,
        resetTime: formatRfc3339(context.now + (model.resetInSeconds ?? DEFAULT_RESET_SECONDS) * 1000),
      },
    },
  ]);
  return { models: Object.fromEntries(entries) };
}

function ok(context: WireContext): Reply {
  const headers = context.behaviour.headers ?? {};
  switch (context.route.operation) {
    case 'load-code-assist':
      return jsonReply(loadCodeAssist(context), headers);
    case 'fetch-available-models':
      return jsonReply(availableModels(context), headers);
    case 'onboard-user':
    case 'get-operation':
      return jsonReply(operation(context), headers);
    // countTokens answers unwrapped (`{totalTokens}`), unlike the generation methods.
    case 'count-tokens':
      return jsonReply({ totalTokens: promptTokens(context) }, headers);
    default:
      return generateReply(context, (payload) => ({
        response: payload,
        traceId: `mock-trace-${context.sequence}`,
      }));
  }
}

export const codeAssistWire: Wire = {
  ok,
  error: (failure, context) => googleError(failure, context, DOMAIN),
  rejectReasoning: (context) =>
    rejectGoogleReasoning(isJsonObject(context.body) ? context.body['request'] : undefined),
  streamError: (message) => googleStreamError(message),
};
