import { isJsonObject } from '../core/json.js';
import type { ErrorBody } from './read-error-body.js';

const VERIFICATION_MARKERS = ['validation_required', 'verify your account', 'validation_url'];

/** Whether a 403 asks the user to verify the account (Google `VALIDATION_REQUIRED`). */
export function isVerificationRequired(body: ErrorBody): boolean {
  return VERIFICATION_MARKERS.some((marker) => body.lowerText.includes(marker));
}

/**
 * The link where the user verifies the account: `metadata.validation_url` or `metadata.appeal_url`
 * of an error detail, else the first https URL in the message or body. Bodies read as raw text may
 * still hold the JSON escape `\u0026` for `&`.
 */
export function validationUrl(body: ErrorBody): string | undefined {
  for (const detail of body.details) {
    const metadata = detail['metadata'];
    if (!isJsonObject(metadata)) continue;
    for (const key of ['validation_url', 'appeal_url']) {
      const url = metadata[key];
      if (typeof url === 'string' && url.startsWith('https://')) return url;
    }
  }
  return firstHttpsUrl(body.message ?? '') ?? firstHttpsUrl(body.text);
}

function firstHttpsUrl(text: string): string | undefined {
  const match = /https:\/\/[^\s"'<>\\]+/.exec(text.replaceAll('\\u0026', '&'));
  return match?.[0].replace(/[.,;:)\]]+$/, '');
}
