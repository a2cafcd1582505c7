import { describe, expect, it } from 'vitest';
import { ROWS, selectRows, translationRatios } from '../../bench/layers/rows.js';

describe('bench:layers rows', () => {
  it('measures both translation directions, the Anthropic client speaking Anthropic Messages', () => {
    const openaiToAnthropic = ROWS.find((row) => row.id === 'switchyard-openai-to-anthropic');
    const anthropicToOpenai = ROWS.find((row) => row.id === 'switchyard-anthropic-to-openai');
    expect(openaiToAnthropic?.spec).toEqual({ kind: 'switchyard', accounts: 'anthropic' });
    expect(openaiToAnthropic?.client ?? 'openai').toBe('openai');
    expect(anthropicToOpenai?.spec).toEqual({ kind: 'switchyard', accounts: 'openai' });
    expect(anthropicToOpenai?.client).toBe('anthropic');
  });

  it('--only keeps the named rows in the table order, and names an unknown id with the known ones', () => {
    expect(selectRows(undefined)).toBe(ROWS);
    expect(selectRows(' switchyard-no-log, bare-proxy ').map((row) => row.id)).toEqual([
      'bare-proxy',
      'switchyard-no-log',
    ]);
    expect(() => selectRows('bare-proxy,nope')).toThrow(/unknown row "nope".*bare-proxy, bare-fastify-proxy/);
    expect(() => selectRows(' , ')).toThrow(/--only: unknown row \(none given\)/);
  });

  it('gives each translation row against pass-through with the request log on, not against the log-off row', () => {
    const cpu = new Map([
      ['switchyard', { requests: 1000, cpuSeconds: 0.2 }],
      ['switchyard-no-log', { requests: 1000, cpuSeconds: 0.1 }],
      ['switchyard-openai-to-anthropic', { requests: 500, cpuSeconds: 0.12 }],
      ['switchyard-anthropic-to-openai', { requests: 2000, cpuSeconds: 0.42 }],
    ]);
    // A Switchyard row that does not translate is not compared, whatever its id.
    const rows = [
      ...ROWS,
      {
        id: 'switchyard-redis',
        label: 'Switchyard on Redis',
        spec: { kind: 'switchyard' as const, accounts: 'openai' as const },
      },
    ];
    cpu.set('switchyard-redis', { requests: 1000, cpuSeconds: 0.3 });
    const lines = translationRatios(rows, cpu);
    expect(lines.filter((line) => line.startsWith('- '))).toEqual([
      '- Switchyard translation, OpenAI client → anthropic account: 1.20 × pass-through (240 against 200 µs)',
      '- Switchyard translation, Anthropic client → openai account: 1.05 × pass-through (210 against 200 µs)',
    ]);
  });

  it('leaves the ratios out when pass-through did not run', () => {
    const cpu = new Map([['switchyard-openai-to-anthropic', { requests: 10, cpuSeconds: 0.01 }]]);
    expect(translationRatios(ROWS, cpu)).toEqual([]);
  });
});
