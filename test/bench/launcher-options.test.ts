import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcherNodeOptions } from '../../bench/proxy/switchyard-target.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the node options Switchyard is started with', () => {
  it('are read from the options after `node` on the launcher line', () => {
    expect(launcherNodeOptions('#!/usr/bin/env -S node --max-semi-space-size=4 --jitless\n// x')).toEqual([
      '--max-semi-space-size=4',
      '--jitless',
    ]);
    expect(launcherNodeOptions('#!/usr/bin/env node\nimport("x");')).toEqual([]);
    expect(launcherNodeOptions('import("x");')).toEqual([]);
  });

  it("are the same for `switchyard start`, `npm start`, the README's systemd unit and the benchmark", () => {
    const options = launcherNodeOptions(readFileSync(resolve(ROOT, 'bin/switchyard.js'), 'utf8'));
    expect(options.length).toBeGreaterThan(0);
    const packageJson = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(packageJson.scripts['start']).toContain(`node ${options.join(' ')} bin/switchyard.js start`);
    // The systemd unit in the README too.
    expect(readFileSync(resolve(ROOT, 'README.md'), 'utf8')).toContain(
      `ExecStart=/usr/bin/node ${options.join(' ')} bin/switchyard.js start`,
    );
  });
});
