export { extractSessionId, type SessionInput, type SessionProtocol } from './extract-session-id.js';
export { type HeaderBag, headerValue } from './header-value.js';
