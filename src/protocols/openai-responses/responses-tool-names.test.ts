import { describe, expect, it } from 'vitest';
import { clientToolName, flattenToolName } from './responses-tool-names.js';

describe('flattenToolName', () => {
  it.each([
    [{ namespace: 'multi_agent_v1', name: 'close_agent' }, 'multi_agent_v1__close_agent'],
    [{ namespace: 'mcp__github__', name: 'search' }, 'mcp__github__search'],
    [{ namespace: 'my.tools', name: 'run:fast' }, 'my_tools__run_fast'],
  ])('%j → %s', (tool, flat) => {
    expect(flattenToolName(tool)).toBe(flat);
  });

  it('cuts long names to 64 characters and keeps them apart with a hash', () => {
    const first = flattenToolName({ namespace: 'n'.repeat(40), name: `${'x'.repeat(40)}_one` });
    const second = flattenToolName({ namespace: 'n'.repeat(40), name: `${'x'.repeat(40)}_two` });
    expect(first).toHaveLength(64);
    expect(first).not.toBe(second);
  });
});

describe('clientToolName', () => {
  it('maps a flattened name back and leaves other names alone', () => {
    const names = { ns__f: { namespace: 'ns', name: 'f' } };
    expect(clientToolName('ns__f', names)).toEqual({ namespace: 'ns', name: 'f' });
    expect(clientToolName('plain', names)).toEqual({ name: 'plain' });
  });
});
