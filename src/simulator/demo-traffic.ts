/**
 * The traffic generator of `switchyard demo`: plays a few client conversations against a gateway
 * at a gentle, steady rate, so that its Monitor fills with sticky sessions, rotations and locks.
 *
 * Every tick (`requestsPerSecond` of them per second, driven by the injected clock) sends the next
 * turn of the next conversation that is not waiting for an answer; when all are waiting the tick
 * sends nothing. A conversation resends the whole history with one more user message each turn
 * (its first user message never changes, so neither does its session id); an answered turn is
 * added to the history, a refused one is tried again at its next turn. After
 * `turnsPerConversation` answered turns the conversation starts over with a new first message,
 * which makes it a new session.
 */
import { request } from 'undici';
import type { Clock } from '../core/clock.js';
import { isJsonObject } from '../core/json.js';
import { DEMO_CONVERSATIONS, type DemoConversation } from './demo-conversations.js';

export interface DemoTrafficOptions {
  /** Base URL of the gateway, e.g. `http://127.0.0.1:8045`. */
  gatewayUrl: string;
  /** The gateway's proxy API key (sent as `Authorization: Bearer` or `x-api-key`). */
  apiKey: string;
  clock: Clock;
  /** Ticks per second (> 0): at most this many requests start per second. */
  requestsPerSecond: number;
  /** Default `DEMO_CONVERSATIONS`. */
  conversations?: readonly DemoConversation[];
  /** Answered turns before a conversation starts over as a new session. Default 12. */
  turnsPerConversation?: number;
}

/** How one turn went. */
export interface DemoTurnResult {
  conversation: string;
  /** HTTP status from the gateway; 0 when there was no answer (connection failure). */
  status: number;
  /** `X-Account-Email` of the answer, when the gateway named one. */
  account: string | null;
}

/** What the traffic did since the counts were last taken. */
export interface DemoTrafficCounts {
  sent: number;
  /** Successful answers per serving account. */
  servedBy: Record<string, number>;
  /** Unsuccessful answers per HTTP status (`0`: no answer). */
  failedBy: Record<string, number>;
}

interface Message {
  role: 'user' | 'assistant';
  content: string;
}

interface ConversationState {
  spec: DemoConversation;
  /** How many times it started over; part of the first message. */
  take: number;
  history: Message[];
  answeredTurns: number;
  busy: boolean;
}

const SYSTEM_PROMPT = 'You are a concise assistant in a Switchyard demo. Answer in a few sentences.';

function emptyCounts(): DemoTrafficCounts {
  return { sent: 0, servedBy: {}, failedBy: {} };
}

/** Plays demo conversations against a gateway; `start`, then `stop` to end and wait for requests in flight. */
export class DemoTraffic {
  private readonly conversations: ConversationState[];
  private readonly inFlight = new Set<Promise<DemoTurnResult>>();
  private readonly stopping = new AbortController();
  private cancelTimer: (() => void) | null = null;
  private cursor = 0;
  private counts = emptyCounts();

  constructor(private readonly options: DemoTrafficOptions) {
    if (!(options.requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be above 0');
    this.conversations = (options.conversations ?? DEMO_CONVERSATIONS).map((spec) => ({
      spec,
      take: 1,
      history: [],
      answeredTurns: 0,
      busy: false,
    }));
  }

  /** Starts ticking. */
  start(): void {
    if (this.cancelTimer !== null || this.stopping.signal.aborted) return;
    const intervalMs = Math.max(1, Math.round(1000 / this.options.requestsPerSecond));
    this.cancelTimer = this.options.clock.every(intervalMs, () => void this.sendNext());
    void this.sendNext();
  }

  /** Stops ticking, aborts the requests in flight and waits until they have settled. */
  async stop(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Returns the counts since the previous call and starts new ones. */
  takeCounts(): DemoTrafficCounts {
    const counts = this.counts;
    this.counts = emptyCounts();
    return counts;
  }

  /** Sends the next turn of the next idle conversation; null when every conversation is waiting. */
  sendNext(): Promise<DemoTurnResult | null> {
    if (this.stopping.signal.aborted) return Promise.resolve(null);
    const total = this.conversations.length;
    for (let step = 0; step < total; step++) {
      const state = this.conversations[(this.cursor + step) % total];
      if (state === undefined || state.busy) continue;
      this.cursor = (this.cursor + step + 1) % total;
      const turn = this.playTurn(state);
      this.inFlight.add(turn);
      void turn.finally(() => this.inFlight.delete(turn));
      return turn;
    }
    return Promise.resolve(null);
  }

  private async playTurn(state: ConversationState): Promise<DemoTurnResult> {
    state.busy = true;
    this.counts.sent++;
    const userText = nextUserText(state);
    const messages: Message[] = [...state.history, { role: 'user', content: userText }];
    const { spec } = state;
    let result: DemoTurnResult = { conversation: spec.name, status: 0, account: null };
    try {
      const response = await request(`${this.options.gatewayUrl}${pathOf(spec)}`, {
        method: 'POST',
        headers: headersOf(spec, this.options.apiKey),
        body: JSON.stringify(bodyOf(spec, messages)),
        signal: this.stopping.signal,
      });
      const account = response.headers['x-account-email'];
      result = {
        ...result,
        status: response.statusCode,
        account: typeof account === 'string' ? account : null,
      };
      const text = await response.body.text();
      if (response.statusCode === 200) this.remember(state, { userText, answer: answerText(spec, text) });
    } catch {
      // No answer (the gateway went away, or we are stopping): counted as status 0 below.
    } finally {
      state.busy = false;
    }
    if (!this.stopping.signal.aborted) this.count(result);
    return result;
  }

  private remember(state: ConversationState, turn: { userText: string; answer: string }): void {
    state.history.push({ role: 'user', content: turn.userText }, { role: 'assistant', content: turn.answer });
    state.answeredTurns++;
    if (state.answeredTurns >= (this.options.turnsPerConversation ?? 12)) {
      state.take++;
      state.history = [];
      state.answeredTurns = 0;
    }
  }

  private count(result: DemoTurnResult): void {
    if (result.status === 200 && result.account !== null) {
      this.counts.servedBy[result.account] = (this.counts.servedBy[result.account] ?? 0) + 1;
    } else {
      const key = String(result.status);
      this.counts.failedBy[key] = (this.counts.failedBy[key] ?? 0) + 1;
    }
  }
}

function nextUserText(state: ConversationState): string {
  const { spec, answeredTurns, take } = state;
  if (answeredTurns === 0) return take === 1 ? spec.opening : `${spec.opening} (take ${take})`;
  return spec.followUps[(answeredTurns - 1) % spec.followUps.length] ?? 'Go on.';
}

function pathOf(spec: DemoConversation): string {
  return spec.client === 'openai' ? '/v1/chat/completions' : '/v1/messages';
}

function headersOf(spec: DemoConversation, apiKey: string): Record<string, string> {
  const common = { 'content-type': 'application/json', 'user-agent': 'switchyard-demo' };
  if (spec.client === 'openai') return { ...common, authorization: `Bearer ${apiKey}` };
  return { ...common, 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' };
}

function bodyOf(spec: DemoConversation, messages: Message[]): unknown {
  const { model, stream } = spec;
  if (spec.client === 'openai') {
    const all = [{ role: 'system', content: SYSTEM_PROMPT }, ...messages];
    return { model, messages: all, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) };
  }
  // Cache markers as Claude Code sets them: the system prompt and the newest message, so each turn
  // reads the previous turns from the account's prompt cache when it lands on the same account.
  const cacheControl = { type: 'ephemeral' };
  const last = messages.length - 1;
  return {
    model,
    max_tokens: 1024,
    stream,
    system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: cacheControl }],
    messages: messages.map((message, index) =>
      index === last
        ? {
            role: message.role,
            content: [{ type: 'text', text: message.content, cache_control: cacheControl }],
          }
        : message,
    ),
  };
}

/** The answer's text from a JSON body; a stream keeps a stand-in (its text is not needed). */
function answerText(spec: DemoConversation, body: string): string {
  if (spec.stream) return '(streamed answer)';
  try {
    const parsed: unknown = JSON.parse(body);
    if (!isJsonObject(parsed)) return '';
    const blocks = spec.client === 'openai' ? parsed['choices'] : parsed['content'];
    const first = Array.isArray(blocks) ? blocks[0] : undefined;
    const message = spec.client === 'openai' && isJsonObject(first) ? first['message'] : first;
    const text = isJsonObject(message) ? (message['content'] ?? message['text']) : undefined;
    return typeof text === 'string' ? text : '';
  } catch {
    return '';
  }
}
