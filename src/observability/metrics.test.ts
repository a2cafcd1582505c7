import { describe, expect, it } from 'vitest';
import { countAccountStates, countLocks, type LockCount, Metrics } from './metrics.js';
import { sampleRequestLogEntry } from './sample-request-log-entry.js';

function sampleLines(text: string, metric: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(metric));
}

describe('Metrics', () => {
  it('counts requests by protocol, status and account email', async () => {
    const metrics = new Metrics();
    metrics.record(sampleRequestLogEntry());
    metrics.record(sampleRequestLogEntry({ id: 'r2' }));
    metrics.record(
      sampleRequestLogEntry({ id: 'r3', protocol: 'anthropic-messages', status: 429, accountEmail: null }),
    );
    const text = await metrics.render();
    expect(text).toContain(
      [
        '# HELP switchyard_requests_total Proxied requests by client protocol, HTTP status returned and serving account.',
        '# TYPE switchyard_requests_total counter',
        'switchyard_requests_total{protocol="openai-chat",status="200",account="one@example.com"} 2',
        'switchyard_requests_total{protocol="anthropic-messages",status="429",account=""} 1',
      ].join('\n'),
    );
  });

  it('observes latency in seconds into the 0.005…60 buckets', async () => {
    const metrics = new Metrics();
    metrics.record(sampleRequestLogEntry({ latencyMs: 120 }));
    metrics.record(sampleRequestLogEntry({ id: 'r2', latencyMs: 90_000 }));
    const lines = sampleLines(await metrics.render(), 'switchyard_upstream_latency_seconds');
    expect(lines).toEqual([
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="0.005"} 0',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="0.01"} 0',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="0.025"} 0',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="0.05"} 0',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="0.1"} 0',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="0.25"} 1',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="0.5"} 1',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="1"} 1',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="2.5"} 1',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="5"} 1',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="10"} 1',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="30"} 1',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="60"} 1',
      'switchyard_upstream_latency_seconds_bucket{protocol="openai-chat",le="+Inf"} 2',
      'switchyard_upstream_latency_seconds_sum{protocol="openai-chat"} 90.12',
      'switchyard_upstream_latency_seconds_count{protocol="openai-chat"} 2',
    ]);
  });

  it('observes attempts per request', async () => {
    const metrics = new Metrics();
    metrics.record(sampleRequestLogEntry({ attempts: 3 }));
    const lines = sampleLines(await metrics.render(), 'switchyard_request_attempts');
    expect(lines).toContain('switchyard_request_attempts_bucket{protocol="openai-chat",le="2"} 0');
    expect(lines).toContain('switchyard_request_attempts_bucket{protocol="openai-chat",le="3"} 1');
    expect(lines).toContain('switchyard_request_attempts_sum{protocol="openai-chat"} 3');
  });

  it('adds reported tokens per account and type, skipping zero counts and requests without usage', async () => {
    const metrics = new Metrics();
    metrics.record(
      sampleRequestLogEntry({
        usage: {
          inputTokens: 100,
          outputTokens: 20,
          cacheReadTokens: 80,
          cacheWriteTokens: 0,
          reasoningTokens: 5,
        },
      }),
    );
    metrics.record(
      sampleRequestLogEntry({
        id: 'r2',
        usage: {
          inputTokens: 1,
          outputTokens: 2,
          cacheReadTokens: 0,
          cacheWriteTokens: 3,
          reasoningTokens: 0,
        },
      }),
    );
    metrics.record(sampleRequestLogEntry({ id: 'r3', usage: null }));
    expect(sampleLines(await metrics.render(), 'switchyard_tokens_total')).toEqual([
      'switchyard_tokens_total{account="one@example.com",type="input"} 101',
      'switchyard_tokens_total{account="one@example.com",type="output"} 22',
      'switchyard_tokens_total{account="one@example.com",type="cache_read"} 80',
      'switchyard_tokens_total{account="one@example.com",type="cache_write"} 3',
    ]);
  });

  it('escapes an account email that contains quotes or backslashes', async () => {
    const metrics = new Metrics();
    metrics.record(sampleRequestLogEntry({ accountEmail: 'odd"name\\x' }));
    expect(await metrics.render()).toContain('account="odd\\"name\\\\x"} 1');
  });

  it('reads gauges from their sources at render time, sync or async', async () => {
    let locks = 2;
    const metrics = new Metrics({
      gauges: {
        locksActive: () => locks,
        sessionBindings: async () => 17,
        accountStates: () => ({ active: 3, disabled: 1, proxyDisabled: 2 }),
      },
    });
    locks = 5;
    const text = await metrics.render();
    expect(sampleLines(text, 'switchyard_locks_active')).toEqual(['switchyard_locks_active 5']);
    expect(sampleLines(text, 'switchyard_session_bindings')).toEqual(['switchyard_session_bindings 17']);
    expect(sampleLines(text, 'switchyard_accounts')).toEqual([
      'switchyard_accounts{state="active"} 3',
      'switchyard_accounts{state="disabled"} 1',
      'switchyard_accounts{state="proxy_disabled"} 2',
    ]);
  });

  it('leaves a gauge without samples when its source fails, and still renders the rest', async () => {
    const metrics = new Metrics({
      gauges: {
        locksActive: async () => {
          throw new Error('redis down');
        },
        sessionBindings: () => 4,
      },
    });
    const text = await metrics.render();
    expect(text).toContain('# TYPE switchyard_locks_active gauge\n# HELP switchyard_session_bindings');
    expect(sampleLines(text, 'switchyard_session_bindings')).toEqual(['switchyard_session_bindings 4']);
  });
});

describe('locks by source', () => {
  it('counts the active locks by source and reason and renders them as one gauge', async () => {
    const now = 1_000;
    const lock = (source: LockCount['source'], reason: LockCount['reason'], until = now + 1) => ({
      source,
      reason,
      until,
    });
    const counts = countLocks(
      [
        lock('rate-limit-headers', 'RateLimitExceeded'),
        lock('rate-limit-headers', 'RateLimitExceeded'),
        lock('quota-api', 'QuotaExhausted'),
        lock('retry-after', 'RateLimitExceeded'),
        lock('backoff', 'ServerError', now),
      ],
      now,
    );
    expect(counts).toEqual([
      { source: 'quota-api', reason: 'QuotaExhausted', count: 1 },
      { source: 'rate-limit-headers', reason: 'RateLimitExceeded', count: 2 },
      { source: 'retry-after', reason: 'RateLimitExceeded', count: 1 },
    ]);
    const text = await new Metrics({ gauges: { locksBySource: async () => counts } }).render();
    expect(sampleLines(text, 'switchyard_locks_by_source')).toEqual([
      'switchyard_locks_by_source{source="quota-api",reason="QuotaExhausted"} 1',
      'switchyard_locks_by_source{source="rate-limit-headers",reason="RateLimitExceeded"} 2',
      'switchyard_locks_by_source{source="retry-after",reason="RateLimitExceeded"} 1',
    ]);
  });
});

describe('countAccountStates', () => {
  it('counts each account once, disabled before proxy-disabled', () => {
    expect(
      countAccountStates([
        { disabled: false, proxyDisabled: false },
        { disabled: true, proxyDisabled: true },
        { disabled: false, proxyDisabled: true },
        { disabled: false, proxyDisabled: false },
      ]),
    ).toEqual({ active: 2, disabled: 1, proxyDisabled: 1 });
  });
});
