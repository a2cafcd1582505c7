import { SwitchyardError } from '../core/errors.js';
import { type HeaderBag, headerValue } from '../core/headers.js';
import { isJsonObject, type JsonObject } from '../core/json.js';

/**
 * Client strings that end up in response headers, log lines, the request log and the state store
 * are bounded here, before any account is used. Above a limit the client gets a 400 in its own
 * protocol's shape naming the field (README, "Limits").
 */

/** Longest model name accepted: body `model`, or the model in a Gemini path. */
export const MAX_MODEL_NAME_LENGTH = 256;

/** Longest client-chosen id accepted: session ids and `previous_response_id`. */
export const MAX_CLIENT_ID_LENGTH = 512;

/** Session-id headers of Claude Code and Codex, with the field name an error gives (made once). */
const ID_HEADERS = ['x-claude-code-session-id', 'session-id'].map((name) => ({
  name,
  field: `header ${name}`,
}));

/**
 * The model name, checked: a non-empty string of at most `MAX_MODEL_NAME_LENGTH` characters
 * without control characters (no model has one; in a header it would split the line). Non-ASCII
 * is fine: it is percent-encoded where it becomes a header. Throws `invalid_request` otherwise.
 */
export function checkModelName(model: unknown): string {
  if (typeof model !== 'string' || model.trim() === '') {
    throw new SwitchyardError('invalid_request', 'model: required, a non-empty string naming the model');
  }
  if (model.length > MAX_MODEL_NAME_LENGTH) {
    throw new SwitchyardError(
      'invalid_request',
      `model: ${model.length} characters is longer than the limit of ${MAX_MODEL_NAME_LENGTH}`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(model)) {
    throw new SwitchyardError('invalid_request', 'model: must not contain control characters');
  }
  return model;
}

/**
 * Refuses a client id longer than `MAX_CLIENT_ID_LENGTH`: the session-id headers
 * (`x-claude-code-session-id`, `session-id`), body `prompt_cache_key`, `metadata.user_id` and
 * `previous_response_id`. Throws `invalid_request` naming the first one too long.
 */
export function checkClientIds(options: { headers: HeaderBag; body: JsonObject }): void {
  for (const { name, field } of ID_HEADERS) refuseLong(field, headerValue(options.headers, name));
  const { body } = options;
  refuseLong('prompt_cache_key', body['prompt_cache_key']);
  refuseLong('previous_response_id', body['previous_response_id']);
  const metadata = body['metadata'];
  if (isJsonObject(metadata)) refuseLong('metadata.user_id', metadata['user_id']);
}

function refuseLong(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length <= MAX_CLIENT_ID_LENGTH) return;
  throw new SwitchyardError(
    'invalid_request',
    `${field}: ${value.length} characters is longer than the limit of ${MAX_CLIENT_ID_LENGTH}`,
  );
}
