/**
 * What survives scavenges in a Switchyard process under load: loaded into its `node` with
 * `bench:proxy -- --node-arg=--import=./dist/bench/proxy/survivor-probe.js`, it starts V8's
 * sampling heap profiler `SURVIVOR_PROBE_START_MS` after start (default 20 s, past the warm-up) for
 * `SURVIVOR_PROBE_MS` (default 30 s), keeping only objects that a scavenge did not collect
 * (`includeObjectsCollectedByMajorGC`: collected by a full collection later, or still live). It
 * writes `survivors-<pid>.heapprofile` (open it in Chrome DevTools' Memory tab) into
 * `SURVIVOR_PROBE_DIR` (default the working directory), with `served`: the requests the process
 * received meanwhile, to compare builds per request. With `SURVIVOR_PROBE_ALLOCATIONS=1` it keeps
 * every sampled object, scavenged ones too, into `allocations-<pid>.heapprofile`: what a request
 * allocates at all. Does nothing in other processes.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';

/** Keep the objects scavenges collected too (every allocation sampled), not only the survivors. */
const everyAllocation = process.env['SURVIVOR_PROBE_ALLOCATIONS'] === '1';

const isGateway = process.argv.some((arg) => arg.endsWith('switchyard.js')) && process.argv.includes('start');

/** Counts the requests the process's HTTP servers receive. */
function countRequests(): { served: number } {
  const counter = { served: 0 };
  const emit = http.Server.prototype.emit as (this: http.Server, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function countingEmit(this: http.Server, ...args: unknown[]) {
    if (args[0] === 'request') counter.served++;
    return emit.apply(this, args);
  };
  return counter;
}

function post(session: Session, method: string, params: object = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function sample(counter: { served: number }, durationMs: number): Promise<void> {
  const session = new Session();
  session.connect();
  await post(session, 'HeapProfiler.enable');
  await post(session, 'HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: everyAllocation,
  });
  counter.served = 0;
  await systemClock.sleep(durationMs);
  const { profile } = (await post(session, 'HeapProfiler.stopSampling')) as { profile: object };
  const name = everyAllocation ? 'allocations' : 'survivors';
  const file = join(process.env['SURVIVOR_PROBE_DIR'] ?? '.', `${name}-${process.pid}.heapprofile`);
  writeFileSync(file, JSON.stringify({ ...profile, served: counter.served }));
  process.stderr.write(`survivor probe: wrote ${file} (${counter.served} requests)\n`);
  session.disconnect();
}

if (isGateway) {
  const counter = countRequests();
  const startMs = Number(process.env['SURVIVOR_PROBE_START_MS'] ?? 20_000);
  const durationMs = Number(process.env['SURVIVOR_PROBE_MS'] ?? 30_000);
  systemClock.after(startMs, () => {
    sample(counter, durationMs).catch((error: unknown) => {
      process.stderr.write(`survivor probe failed: ${String(error)}\n`);
    });
  });
}
