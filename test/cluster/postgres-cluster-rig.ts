/**
 * Set-up shared by the tests of several gateway instances on one PostgreSQL store: one mock
 * upstream for the test file, and the gateways and CLI data directories each test makes, closed
 * and removed after it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { runCli, temporaryDirectory } from '../foundation/run-cli.js';
import { type GatewayHarness, type StartGatewayOptions, startGateway } from '../support/gateway-harness.js';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.js';

export interface PostgresClusterRig {
  readonly upstream: MockUpstream;
  /**
   * A gateway whose store is the PostgreSQL database at `url`; `config` is merged beside the
   * store section of its gui_config.json.
   */
  instance(
    url: string,
    options: Omit<StartGatewayOptions, 'config'> & { config?: Record<string, unknown> },
  ): Promise<GatewayHarness>;
  /** `switchyard <args> --data-dir <a directory of its own>` on the PostgreSQL store at `url`. */
  cli(url: string, secretKey: string, args: string[]): ReturnType<typeof runCli>;
}

/** Registers the hooks: the upstream starts before the file; each test's gateways close after it. */
export function postgresClusterRig(): PostgresClusterRig {
  let upstream: MockUpstream | undefined;
  const gateways: GatewayHarness[] = [];
  const directories: { remove(): Promise<void> }[] = [];
  beforeAll(async () => {
    upstream = await startMockUpstream();
  });
  afterAll(() => upstream?.close());
  afterEach(async () => {
    for (const gateway of gateways.splice(0)) await gateway.close();
    for (const directory of directories.splice(0)) await directory.remove();
    upstream?.reset();
  });
  return {
    get upstream() {
      if (!upstream) throw new Error('the mock upstream starts in beforeAll');
      return upstream;
    },
    async instance(url, options) {
      const config = { ...options.config, store: { backend: 'postgres', postgres_url: url } };
      const gateway = await startGateway({ ...options, config });
      gateways.push(gateway);
      return gateway;
    },
    async cli(url, secretKey, args) {
      const directory = await temporaryDirectory();
      directories.push(directory);
      await writeFile(
        join(directory.path, 'gui_config.json'),
        JSON.stringify({ store: { backend: 'postgres' } }),
      );
      return runCli([...args, '--data-dir', directory.path], {
        env: { SWITCHYARD_DATABASE_URL: url, SWITCHYARD_SECRET_KEY: secretKey },
      });
    },
  };
}
