/**
 * What the mock reads from a generation request: the model, the last user text (for the echo
 * answer) and the prompt as cacheable segments (tools, system, then one per message), from which
 * it derives usage numbers and a per-credential prompt-cache simulation.
 */
import { sha256Hex } from '../../core/ids.js';
import { isJsonObject } from '../../core/json.js';
import type { UsageOverride } from './behaviours.js';

/** The wire family of a generation request. */
export type PromptFormat = 'openai' | 'anthropic' | 'gemini';

export interface PromptSummary {
  /** `model` of the body, when it has one. */
  model: string | null;
  /** Text of the last user message (text parts and tool results). */
  lastUserText: string;
  /** Tools, system prompt, then each message, as text; the unit of token counting and caching. */
  segments: string[];
  /**
   * How many leading segments the upstream may cache: Anthropic caches up to the last segment
   * holding a `cache_control` marker (0 without one); OpenAI and Gemini cache implicitly (all).
   */
  cacheableSegments: number;
}

/** Usage of one answer, provider-neutral; each wire renders it in its own fields. */
export interface Usage {
  /** Whole prompt, cached part included. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

// Keys whose string values are not prompt text (ids, markers, binary payloads).
const NON_TEXT_KEYS = new Set([
  'type',
  'role',
  'id',
  'tool_use_id',
  'tool_call_id',
  'cache_control',
  'mimeType',
  'mime_type',
  'data',
  'signature',
  'thoughtSignature',
]);

/** All string leaves of a value except ids and markers, joined: what "characters" means for token counts. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('');
  if (!isJsonObject(value)) return '';
  return Object.entries(value)
    .filter(([key]) => !NON_TEXT_KEYS.has(key))
    .map(([, item]) => textOf(item))
    .join('');
}

/** The readable text of a message content: text parts and tool results, space-separated. */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value
      .map(plainText)
      .filter((text) => text.length > 0)
      .join(' ');
  }
  if (!isJsonObject(value)) return '';
  if (value['type'] === 'tool_result') return plainText(value['content']);
  if (typeof value['text'] === 'string' && (value['type'] === undefined || value['type'] === 'text')) {
    return value['text'];
  }
  return '';
}

/** Input tokens of `characters` characters: one token per four, rounded up. */
export function tokensOf(characters: number): number {
  return Math.ceil(characters / 4);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function lastWhere(items: unknown[], test: (item: Record<string, unknown>) => boolean): unknown {
  return items.findLast((item) => isJsonObject(item) && test(item));
}

/** Reads a generation request body of the given wire family. */
export function summarizePrompt(format: PromptFormat, body: unknown): PromptSummary {
  const request = isJsonObject(body) ? body : {};
  const model = typeof request['model'] === 'string' ? request['model'] : null;
  const tools = list(request['tools']);
  const toolUnits: unknown[] = tools.length > 0 ? [tools] : [];
  if (format === 'gemini') {
    const contents = list(request['contents']);
    const system = request['systemInstruction'] ?? request['system_instruction'];
    const units = [...toolUnits, ...(system === undefined ? [] : [system]), ...contents];
    const last = lastWhere(
      contents,
      (content) => content['role'] === undefined || content['role'] === 'user',
    );
    const lastUserText = isJsonObject(last) ? plainText(last['parts']) : '';
    const segments = toSegments(units, toolUnits.length);
    return { model, lastUserText, segments, cacheableSegments: segments.length };
  }
  const messages = list(request['messages']);
  const system = format === 'anthropic' && request['system'] !== undefined ? [request['system']] : [];
  const units = [...toolUnits, ...system, ...messages];
  const last = lastWhere(messages, (message) => message['role'] === 'user');
  const lastUserText = isJsonObject(last) ? plainText(last['content']) : '';
  const segments = toSegments(units, toolUnits.length);
  const cacheableSegments =
    format === 'anthropic'
      ? units.findLastIndex((unit) => JSON.stringify(unit).includes('"cache_control"')) + 1
      : segments.length;
  return { model, lastUserText, segments, cacheableSegments };
}

// Tool declarations count as their JSON (names and schemas are prompt too); messages as their text.
function toSegments(units: unknown[], toolUnits: number): string[] {
  return units.map((unit, index) => (index < toolUnits ? JSON.stringify(unit) : textOf(unit)));
}

/**
 * Prompt prefixes each credential has "cached", so that the same conversation sent again with the
 * same credential reports cache reads, and a different credential does not: what a gateway that
 * keeps conversations on one account should observe.
 */
export class PromptCache {
  private readonly prefixes = new Map<string, Set<string>>();

  /** Usage of answering `prompt` with `outputText` for `key`; remembers the cacheable prefixes. */
  usage(options: { key: string | null; prompt: PromptSummary; outputCharacters: number }): Usage {
    const { prompt } = options;
    const chain = prefixHashes(prompt.segments.slice(0, prompt.cacheableSegments));
    const known = this.prefixes.get(options.key ?? '') ?? new Set<string>();
    const hits = chain.findLastIndex((hash) => known.has(hash)) + 1;
    const characters = (count: number) =>
      prompt.segments.slice(0, count).reduce((sum, segment) => sum + segment.length, 0);
    const cacheReadTokens = tokensOf(characters(hits));
    for (const hash of chain) known.add(hash);
    this.prefixes.set(options.key ?? '', known);
    return {
      inputTokens: Math.max(1, tokensOf(characters(prompt.segments.length))),
      outputTokens: Math.max(1, tokensOf(options.outputCharacters)),
      cacheReadTokens,
      cacheWriteTokens: tokensOf(characters(prompt.cacheableSegments)) - cacheReadTokens,
    };
  }

  clear(): void {
    this.prefixes.clear();
  }
}

function prefixHashes(segments: string[]): string[] {
  const hashes: string[] = [];
  let previous = '';
  for (const segment of segments) {
    previous = sha256Hex(`${previous}\u0000${segment}`);
    hashes.push(previous);
  }
  return hashes;
}

/** Applies a behaviour's usage override; Anthropic's uncached input is recomputed by the wire. */
export function applyUsageOverride(usage: Usage, override: UsageOverride | undefined): Usage {
  return { ...usage, ...override };
}
