import { Pool } from 'undici';
import type { Clock } from '../../src/core/clock.js';

/** What a load generator sends to one target: one endpoint, rotating request bodies. */
export interface LoadRequest {
  /**
   * `http://127.0.0.1:<port>` of each instance of the target; request number i goes to origin
   * i mod n (round robin in the load generator itself, so no balancer's cost is measured).
   */
  origins: readonly string[];
  path: string;
  /** Credential and protocol headers; `content-type: application/json` is always added. */
  headers: Record<string, string>;
  /** Non-streamed request bodies, used in turn. */
  bodies: readonly Buffer[];
  /** Streamed request bodies, used in turn. */
  streamBodies: readonly Buffer[];
}

/** One request/response, timed with `process.hrtime.bigint()` from just before sending. */
export interface Exchange {
  ok: boolean;
  status: number;
  /** Until the first chunk of the response body. */
  firstByteNs: number;
  /** Until the end of the response body. */
  totalNs: number;
}

/**
 * Keep-alive connection pools to one target (one per instance) that send the benchmark's requests
 * and time them.
 */
export class LoadClient {
  private readonly pools: Pool[];
  private readonly headers: Record<string, string>;
  private failureText: string | null = null;

  constructor(
    private readonly target: LoadRequest,
    connections: number,
  ) {
    if (target.origins.length === 0) throw new Error('a load client needs at least one origin');
    this.pools = target.origins.map((origin) => new Pool(origin, { connections, pipelining: 1 }));
    this.headers = { ...target.headers, 'content-type': 'application/json' };
  }

  /** The pool of the instance that serves request number `index`. */
  private poolFor(index: number): Pool {
    return this.pools[index % this.pools.length] as Pool;
  }

  /** Sends request number `index` (which picks the body) and reads the whole answer. Never throws. */
  async send(index: number, stream = false): Promise<Exchange> {
    const bodies = stream ? this.target.streamBodies : this.target.bodies;
    const body = bodies[index % bodies.length];
    const started = process.hrtime.bigint();
    try {
      const response = await this.poolFor(index).request({
        method: 'POST',
        path: this.target.path,
        headers: this.headers,
        body,
      });
      let firstByteNs = 0;
      const errorChunks: Buffer[] = [];
      for await (const chunk of response.body) {
        if (firstByteNs === 0) firstByteNs = Number(process.hrtime.bigint() - started);
        if (response.statusCode !== 200) errorChunks.push(chunk as Buffer);
      }
      const totalNs = Number(process.hrtime.bigint() - started);
      if (response.statusCode !== 200) {
        this.failureText ??= `HTTP ${response.statusCode}: ${Buffer.concat(errorChunks).toString('utf8').slice(0, 300)}`;
      }
      return { ok: response.statusCode === 200, status: response.statusCode, firstByteNs, totalNs };
    } catch (error) {
      this.failureText ??= (error as Error).message;
      const totalNs = Number(process.hrtime.bigint() - started);
      return { ok: false, status: 0, firstByteNs: totalNs, totalNs };
    }
  }

  /**
   * One request to each instance, to check a target works before measuring it: the first answer
   * that is not HTTP 200, else the last answer.
   */
  async probe(stream: boolean): Promise<{ status: number; text: string }> {
    let answer = { status: 0, text: '' };
    for (const pool of this.pools) {
      const response = await pool.request({
        method: 'POST',
        path: this.target.path,
        headers: this.headers,
        body: (stream ? this.target.streamBodies : this.target.bodies)[0],
      });
      answer = { status: response.statusCode, text: await response.body.text() };
      if (answer.status !== 200) return answer;
    }
    return answer;
  }

  /** The first failure seen by `send`, if any. */
  firstFailure(): string | null {
    return this.failureText;
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.close()));
  }
}

export interface Throughput {
  completed: number;
  failed: number;
  requestsPerSecond: number;
}

/** Saturation: `connections` loops each send the next request as soon as the previous one ends. */
export async function closedLoop(
  client: LoadClient,
  options: { connections: number; durationMs: number },
): Promise<Throughput> {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.durationMs)) * 1_000_000n;
  let completed = 0;
  let failed = 0;
  const loop = async (first: number) => {
    for (let index = first; process.hrtime.bigint() < deadline; index += options.connections) {
      if ((await client.send(index)).ok) completed++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, index) => loop(index)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { completed, failed, requestsPerSecond: completed / seconds };
}

export interface OpenLoopResult {
  /** Latency of each successful request, send to last byte, in µs. */
  latenciesUs: number[];
  failed: number;
  /** Requests actually sent per second. */
  achievedRate: number;
  /** True when more than `maxInFlight` requests were outstanding: the target cannot keep up. */
  overloaded: boolean;
}

/**
 * Fixed rate: sends `rate` requests per second for `durationMs` whatever the answers do, catching up
 * after each timer tick (ticks are ~1 ms, so requests leave in bursts of one or two at 1 000 req/s).
 */
export async function openLoop(
  client: LoadClient,
  options: { rate: number; durationMs: number; clock: Clock; maxInFlight?: number },
): Promise<OpenLoopResult> {
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const intervalNs = 1e9 / options.rate;
  const maxInFlight = options.maxInFlight ?? 256;
  const latenciesUs: number[] = [];
  const pending: Promise<void>[] = [];
  let sent = 0;
  let inFlight = 0;
  let failed = 0;
  let overloaded = false;
  const started = process.hrtime.bigint();
  while (sent < total && !overloaded) {
    const due = Math.min(total, Math.floor(Number(process.hrtime.bigint() - started) / intervalNs) + 1);
    for (; sent < due; sent++) {
      if (inFlight >= maxInFlight) {
        overloaded = true;
        break;
      }
      inFlight++;
      const exchange = client.send(sent).then((result) => {
        inFlight--;
        if (result.ok) latenciesUs.push(result.totalNs / 1000);
        else failed++;
      });
      pending.push(exchange);
    }
    await options.clock.sleep(1);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await Promise.all(pending);
  return { latenciesUs, failed, achievedRate: sent / seconds, overloaded };
}

/** Stream time to first byte: `count` streamed requests one after another; first-chunk times in µs. */
export async function streamFirstBytes(
  client: LoadClient,
  options: { count: number },
): Promise<{ firstBytesUs: number[]; failed: number }> {
  const firstBytesUs: number[] = [];
  let failed = 0;
  for (let index = 0; index < options.count; index++) {
    const result = await client.send(index, true);
    if (result.ok) firstBytesUs.push(result.firstByteNs / 1000);
    else failed++;
  }
  return { firstBytesUs, failed };
}
