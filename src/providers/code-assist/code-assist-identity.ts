/**
 * How Code Assist requests present themselves: the fields and headers the reference (Antigravity
 * Manager, its §8.1) sends, so the upstream treats the gateway like the client the OAuth tokens
 * were issued to. Pure: the clock, random ids and the platform come from the caller.
 */
import type { CodeAssistRequestType } from './wrap-code-assist-request.js';

/** The client identity sent as headers with every `v1internal` call. */
export interface CodeAssistClientIdentity {
  /** `User-Agent`. */
  userAgent: string;
  /** `x-client-name`. */
  clientName: string;
  /** `x-client-version`. */
  clientVersion: string;
  /** `x-vscode-sessionid`: one random UUID per process, as the reference makes one per launch. */
  sessionUuid: string;
}

/** Chrome and Electron versions of the reference's User-Agent. */
const BROWSER_SUFFIX = 'Chrome/132.0.6834.160 Electron/39.2.3';

const OS_NAMES: Record<string, string> = { darwin: 'macos', win32: 'windows' };
const ARCH_NAMES: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'x86' };

/**
 * The reference's `User-Agent`: `Antigravity/<version> (<os>/<arch>) Chrome/… Electron/…`, with
 * Node's platform and architecture named as Rust names them (`linux/x86_64`, `macos/aarch64`).
 */
export function defaultCodeAssistUserAgent(options: {
  version: string;
  platform: string;
  arch: string;
}): string {
  const os = OS_NAMES[options.platform] ?? options.platform;
  const arch = ARCH_NAMES[options.arch] ?? options.arch;
  return `Antigravity/${options.version} (${os}/${arch}) ${BROWSER_SUFFIX}`;
}

/** The identity as request headers. */
export function codeAssistClientHeaders(identity: CodeAssistClientIdentity): Record<string, string> {
  return {
    'user-agent': identity.userAgent,
    'x-client-name': identity.clientName,
    'x-client-version': identity.clientVersion,
    'x-vscode-sessionid': identity.sessionUuid,
  };
}

/** The envelope's `userAgent`: `antigravity` for Gmail accounts, `jetski` for the others (Workspace). */
export function codeAssistUserAgent(email: string): 'antigravity' | 'jetski' {
  return /@(gmail|googlemail)\.com$/i.test(email.trim()) ? 'antigravity' : 'jetski';
}

/** The envelope's `requestType`: `image_gen` for image models, else `agent`. */
export function codeAssistRequestType(model: string): CodeAssistRequestType {
  return model.toLowerCase().includes('image') ? 'image_gen' : 'agent';
}

/** The envelope's `requestId`: `agent/<epoch ms>/<8 hex>`. */
export function codeAssistRequestId(options: { now: number; randomHex: string }): string {
  return `agent/${options.now}/${options.randomHex}`;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/**
 * The inner `request.sessionId` the reference derives from the account id: a 64-bit FNV-1 hash of
 * its UTF-8 bytes (multiply, then xor) in wrapping arithmetic, as a signed decimal string. Stable
 * per account, so the upstream sees one session per account, as it does from the reference.
 */
export function codeAssistSessionId(accountId: string): string {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(accountId, 'utf8')) {
    hash = BigInt.asUintN(64, hash * FNV_PRIME) ^ BigInt(byte);
  }
  return BigInt.asIntN(64, hash).toString();
}
