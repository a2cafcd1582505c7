import type { ClientProtocol } from '../core/client-protocol.js';
import { anthropicMessagesProtocol } from './anthropic-messages/index.js';
import type { ClientProtocolDescriptor } from './client-protocol-descriptor.js';
import { geminiProtocol } from './gemini/index.js';
import { openAIChatProtocol } from './openai-chat/index.js';
import { openAIResponsesProtocol } from './openai-responses/index.js';

/** Every client protocol the gateway serves, by name: one line per protocol folder. */
const CLIENT_PROTOCOLS: Readonly<Record<ClientProtocol, ClientProtocolDescriptor>> = {
  'openai-chat': openAIChatProtocol,
  'openai-responses': openAIResponsesProtocol,
  'anthropic-messages': anthropicMessagesProtocol,
  gemini: geminiProtocol,
};

/** Every registered client protocol's descriptor. */
export function clientProtocols(): readonly ClientProtocolDescriptor[] {
  return Object.values(CLIENT_PROTOCOLS);
}

/** The descriptor of a client protocol. */
export function clientProtocol(name: ClientProtocol): ClientProtocolDescriptor {
  return CLIENT_PROTOCOLS[name];
}
