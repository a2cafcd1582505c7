/**
 * Where a proxy's CPU time goes, by layer: samples from Linux `perf record -g` of a Node process
 * started with `--perf-basic-prof` (so JIT-compiled JavaScript frames carry their function, file
 * and line), read from `perf script -F pid,tid,ip,sym`, each sample put in one layer:
 *
 * - `kernel`: the sample was taken in the kernel (system calls — socket reads and writes — and
 *   interrupts);
 * - `garbage collection`: V8's collector is on the stack (scavenges, marking, sweeping);
 * - otherwise the innermost JavaScript function on the stack decides: a package under
 *   `node_modules` (`undici`, `fastify` …), Switchyard's own code by its `src/` folder
 *   (`switchyard gateway` …), Node's own JavaScript by module (`node streams`, `node http` …), or
 *   undici's WebAssembly HTTP parser (`undici llhttp (WebAssembly)`). V8 builtins and C++ called from
 *   JavaScript (`JSON.parse`, a megamorphic property load, a socket write's user-space part) count
 *   for the function that called them;
 * - `V8 compiler`: V8 compiling JavaScript (on its helper threads, mostly while warming up);
 * - otherwise, with no JavaScript on the stack: `C library` (allocation and copying) or `native,
 *   other` (the event loop, V8's runtime).
 *
 * Pure: parsing and classification only; `bench/layers.ts` runs perf and the load.
 */

/** One stack sample: the process and thread it was taken in, frames innermost first. */
export interface PerfSample {
  pid: number;
  tid: number;
  /** `address symbol` per frame, innermost first. */
  frames: { address: string; symbol: string }[];
}

/** Parses the text of `perf script -F pid,tid,ip,sym` (samples separated by blank lines). */
export function parsePerfScript(text: string): PerfSample[] {
  const samples: PerfSample[] = [];
  let current: PerfSample | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current) samples.push(current);
      current = null;
      continue;
    }
    // A sample's first line is `pid/tid`, right-aligned (so short pids come after spaces); its
    // frames follow, each indented with a tab.
    if (!line.startsWith('\t')) {
      const ids = /^\s*(\d+)\/(\d+)/.exec(line);
      if (current) samples.push(current);
      current = ids ? { pid: Number(ids[1]), tid: Number(ids[2]), frames: [] } : null;
      continue;
    }
    if (!current) continue;
    const frame = /^\s*([0-9a-f]+)\s+(.*)$/.exec(line);
    if (frame) current.frames.push({ address: frame[1] ?? '', symbol: (frame[2] ?? '').trim() });
  }
  if (current) samples.push(current);
  return samples;
}

/** Kernel text lives in the top half of the address space: 16 hex digits starting with `ffff`. */
function isKernelAddress(address: string): boolean {
  return address.length === 16 && address.startsWith('ffff');
}

const GARBAGE_COLLECTION =
  /v8::internal::(Scavenger|ScavengerCollector|Heap::|MinorGCJob|MarkCompactCollector|ConcurrentMarking|MarkingVisitor|Sweeper|ArrayBufferSweeper|IncrementalMarking|MinorMarkCompact)/;

const V8_COMPILER = /v8::internal::(compiler::|maglev::|baseline::|OptimizingCompileDispatcher|Compiler::)/;

/** Allocation and copying in the C library (the innermost frame). */
const C_LIBRARY =
  /^(_int_malloc|_int_free|malloc|free|cfree|realloc|calloc|malloc_consolidate|unlink_chunk|__memmove|__memcpy|__memset|memcpy|memmove|memset)/;

/** Node's own JavaScript modules, grouped. */
function nodeLayer(module: string): string {
  if (/^internal\/streams\/|^internal\/stream_base_commons$|^stream$/.test(module)) return 'node streams';
  if (/^_http_|^http$|^internal\/http/.test(module)) return 'node http';
  if (/^net$|^internal\/net/.test(module)) return 'node net';
  if (/^events$|^internal\/event_target/.test(module)) return 'node events';
  if (/^internal\/process\/task_queues$|^internal\/process\/promises$|^internal\/async_hooks$/.test(module))
    return 'node ticks and promises';
  if (/^timers$|^internal\/timers$/.test(module)) return 'node timers';
  if (/^buffer$|^internal\/buffer$/.test(module)) return 'node buffer';
  return 'node other';
}

/** The layer of a JavaScript frame's symbol (`JS:*name file:line:column` as perf-basic-prof writes it). */
function javascriptLayer(symbol: string): string {
  if (/wasm/.test(symbol)) return 'undici llhttp (WebAssembly)';
  const location = /\s(\S+):\d+:\d+$/.exec(symbol)?.[1] ?? '';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(location);
  if (inPackage) return inPackage[1] ?? 'packages';
  const own = /\/dist\/src\/([^/]+)\//.exec(location);
  if (own) return `switchyard ${own[1]}`;
  if (/\/dist\/bench\//.test(location)) return 'benchmark proxy';
  if (location.startsWith('node:')) return nodeLayer(location.slice('node:'.length));
  return 'javascript, other';
}

/** The layer one sample's time counts for (see the module comment). */
export function layerOf(sample: PerfSample): string {
  const { frames } = sample;
  if (frames[0] && isKernelAddress(frames[0].address)) return 'kernel';
  if (frames.some((frame) => GARBAGE_COLLECTION.test(frame.symbol))) return 'garbage collection';
  const javascript = frames.find((frame) => frame.symbol.startsWith('JS:'));
  if (javascript) return javascriptLayer(javascript.symbol);
  if (frames.some((frame) => V8_COMPILER.test(frame.symbol))) return 'V8 compiler';
  if (frames[0] && C_LIBRARY.test(frames[0].symbol)) return 'C library';
  return 'native, other';
}

/** A process's samples by layer (counts), on its main thread and on its other threads. */
export interface LayerSamples {
  /** Every sample of the process. */
  total: number;
  main: Map<string, number>;
  other: Map<string, number>;
  /**
   * Main-thread samples by the innermost JavaScript function outside the kernel and the collector
   * (`functionName`), to compare the same library function across processes.
   */
  functions: Map<string, number>;
}

/**
 * A JavaScript frame's function where it is the same in every process: its name, and its file from
 * `node_modules/` on (or Node's own `node:` module), with the line; null for the process's own
 * files (Switchyard's, the benchmark's).
 */
export function functionName(symbol: string): string | null {
  const parts = /^JS:\S?(.*?)\s(\S+):(\d+):\d+$/.exec(symbol);
  if (!parts) return null;
  const [, name, location, line] = parts;
  const inPackage = /.*node_modules\/(.*)$/.exec(location ?? '');
  const file = inPackage ? inPackage[1] : location?.startsWith('node:') ? location : null;
  return file ? `${name || '(anonymous)'} ${file}:${line}` : null;
}

/** Counts the samples of process `pid` by thread kind and layer. */
export function layerSamples(samples: readonly PerfSample[], pid: number): LayerSamples {
  const counts: LayerSamples = { total: 0, main: new Map(), other: new Map(), functions: new Map() };
  for (const sample of samples) {
    if (sample.pid !== pid) continue;
    counts.total++;
    const isMain = sample.tid === sample.pid;
    const table = isMain ? counts.main : counts.other;
    const layer = layerOf(sample);
    table.set(layer, (table.get(layer) ?? 0) + 1);
    if (!isMain || layer === 'kernel' || layer === 'garbage collection') continue;
    const javascript = sample.frames.find((frame) => frame.symbol.startsWith('JS:'));
    const name = javascript ? functionName(javascript.symbol) : null;
    if (name) counts.functions.set(name, (counts.functions.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Adds `from`'s counts into `into`. */
export function addLayerSamples(into: LayerSamples, from: LayerSamples): void {
  into.total += from.total;
  for (const kind of ['main', 'other', 'functions'] as const) {
    for (const [layer, count] of from[kind]) into[kind].set(layer, (into[kind].get(layer) ?? 0) + count);
  }
}
