/**
 * The deployment files cannot be run here (no Docker engine), so this checks what can be checked
 * without one: the README's variable table is the schema's, the Dockerfile and compose.yaml use
 * only commands the README documents and variables that exist, the image's CMD is a real command
 * of the CLI, and its health check script, run as it is, tells a live gateway from a dead one.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { environmentTable, TABLE_END, TABLE_START } from '../../src/cli/environment-table.js';
import { buildProgram } from '../../src/cli/main.js';
import { PROCESS_VARIABLES } from '../../src/cli/process-variables.js';
import { configVariables } from '../../src/config/config-variables.js';
import { readEnvironmentOverrides } from '../../src/config/environment-overrides.js';
import { startGateway } from '../support/gateway-harness.js';

const root = resolve(import.meta.dirname, '../..');
const read = (name: string) => readFile(resolve(root, name), 'utf8');
const run = promisify(execFile);

/** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
function instructions(dockerfile: string): Array<{ keyword: string; argument: string }> {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), argument: rest.join(' ') };
    });
}

function variablesIn(text: string): string[] {
  return [...new Set(text.match(/\bSWITCHYARD_[A-Z0-9_]*[A-Z0-9]/g) ?? [])].sort();
}

describe('README environment variable table', () => {
  it('is the table the config schema gives (npm run docs:env rewrites it)', async () => {
    const readme = await read('README.md');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const inReadme = readme.slice(start + TABLE_START.length, end).trim();
    expect(inReadme, 'README.md is out of date: run `npm run docs:env`').toBe(environmentTable());
  });

  it('lists every setting of the schema, so a setting added later fails this test until documented', () => {
    const table = environmentTable();
    for (const variable of configVariables()) expect(table).toContain(`| \`${variable.name}\` `);
    for (const variable of PROCESS_VARIABLES) expect(table).toContain(`| \`${variable.name}\` `);
  });

  it('never gives a setting the name of a variable the command reads itself', () => {
    const settings = new Set(configVariables().map((variable) => variable.name));
    for (const variable of PROCESS_VARIABLES) expect(settings.has(variable.name)).toBe(false);
  });
});

describe('Dockerfile', () => {
  it('builds on Node 20 slim, runs as a non-root user with SWITCHYARD_HOME=/data as a volume', async () => {
    const steps = instructions(await read('Dockerfile'));
    const bases = steps.filter((step) => step.keyword === 'FROM').map((step) => step.argument.split(' ')[0]);
    expect(bases).toEqual(['node:20-slim', 'node:20-slim']);
    const runtime = steps.slice(steps.findLastIndex((step) => step.keyword === 'FROM'));
    const users = runtime.filter((step) => step.keyword === 'USER').map((step) => step.argument);
    expect(users).toEqual(['node']);
    expect(runtime.find((step) => step.keyword === 'ENV')?.argument).toMatch(
      /(^|\s)SWITCHYARD_HOME=\/data(\s|$)/,
    );
    expect(runtime.find((step) => step.keyword === 'VOLUME')?.argument).toBe('/data');
  });

  it('runs a command the CLI has, with options it has, as the README documents it', async () => {
    const steps = instructions(await read('Dockerfile'));
    const command = JSON.parse(
      steps.findLast((step) => step.keyword === 'CMD')?.argument ?? '[]',
    ) as string[];
    const [binary, name, ...args] = command;
    expect(binary).toBe('switchyard');
    const subcommand = buildProgram().commands.find((candidate) => candidate.name() === name);
    expect(subcommand, `switchyard has no command ${name}`).toBeDefined();
    const known = new Set(subcommand?.options.map((option) => option.long));
    for (const flag of args.filter((arg) => arg.startsWith('--'))) expect(known.has(flag)).toBe(true);
    expect(await read('README.md')).toContain(command.join(' '));
  });

  it('runs only npm commands the README documents', async () => {
    const readme = await read('README.md');
    const runs = instructions(await read('Dockerfile')).filter((step) => step.keyword === 'RUN');
    const npmCommands = runs.flatMap((step) => step.argument.split('&&').map((part) => part.trim()));
    const documented = npmCommands.filter((command) => command.startsWith('npm '));
    expect(documented).toEqual(['npm ci', 'npm run build', 'npm prune --omit=dev']);
    for (const command of documented) expect(readme).toContain(command);
  });

  it('has a health check that passes against a running gateway and fails once it is gone', async () => {
    const steps = instructions(await read('Dockerfile'));
    const healthcheck = steps.find((step) => step.keyword === 'HEALTHCHECK')?.argument ?? '';
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    const script = command[2] ?? '';
    expect(script).toContain('/healthz');
    const gateway = await startGateway();
    const port = new URL(gateway.url).port;
    const check = () =>
      run(process.execPath, ['-e', script], { env: { ...process.env, SWITCHYARD_PROXY__PORT: port } });
    try {
      await expect(check()).resolves.toBeDefined();
    } finally {
      await gateway.close();
    }
    await expect(check()).rejects.toMatchObject({ code: 1 });
  });
});

describe('compose.yaml', () => {
  it('runs two Switchyard instances on Redis and PostgreSQL, pointing to the README for cluster mode', async () => {
    const compose = await read('compose.yaml');
    expect(compose.match(/<<: \*switchyard/g)).toHaveLength(2);
    expect(compose).toMatch(/image: redis/);
    expect(compose).toMatch(/image: postgres/);
    expect(compose).toContain('README "Running several instances"');
  });

  it('and the Dockerfile use only variables that exist (or that cluster mode brings, listed above)', async () => {
    const settings = new Set(configVariables().map((variable) => variable.name));
    const commandVariables = new Set(PROCESS_VARIABLES.map((variable) => variable.name));
    for (const file of ['compose.yaml', 'Dockerfile']) {
      for (const name of variablesIn(await read(file))) {
        const known = settings.has(name) || commandVariables.has(name);
        expect(known, `${file} uses ${name}, which is no setting and no variable the CLI reads`).toBe(true);
      }
    }
  });

  it('gives values the settings accept', async () => {
    const settings = new Set(configVariables().map((variable) => variable.name));
    const literal = [...(await read('compose.yaml')).matchAll(/^\s+(SWITCHYARD_[A-Z0-9_]+): ([^$\n]+)$/gm)]
      .map(([, name = '', value = '']) => [name, value.trim()] as const)
      .filter(([name]) => settings.has(name));
    expect(literal.map(([name]) => name)).toContain('SWITCHYARD_PROXY__AUTH_MODE');
    const reading = readEnvironmentOverrides(Object.fromEntries(literal));
    expect(reading.ok ? [] : reading.problems).toEqual([]);
  });
});
