export { type HeaderBag, headerValue } from '../core/headers.js';
export { extractSessionId, type SessionInput, type SessionProtocol } from './extract-session-id.js';
