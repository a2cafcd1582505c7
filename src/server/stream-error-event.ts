import type { ErrorDialect } from '../core/client-protocol.js';
import type { SwitchyardError } from '../core/errors.js';
import { renderError } from './error-response.js';

/**
 * An error as the last event of a stream the client already receives (after the commit point):
 * Anthropic `event: error`, OpenAI a `data:` chunk with an `error` object, Gemini a `data:` chunk
 * with the Google error object. The stream then ends cleanly.
 */
export function streamErrorEvent(error: SwitchyardError, dialect: ErrorDialect): string {
  const { body } = renderError(error, dialect);
  const data = JSON.stringify(body);
  return dialect === 'anthropic' ? `event: error\ndata: ${data}\n\n` : `data: ${data}\n\n`;
}
