import { describe, expect, it } from 'vitest';
import {
  addLayerSamples,
  functionName,
  layerOf,
  layerSamples,
  parsePerfScript,
} from '../../bench/proxy/perf-layers.js';

/** `perf script -F pid,tid,ip,sym` text: one sample per block, frames innermost first. */
function script(...samples: { pid?: number; tid?: number; frames: string[] }[]): string {
  return samples
    .map(({ pid = 100, tid = 100, frames }) =>
      [`${pid}/${tid} `, ...frames.map((frame) => `\t${frame}`)].join('\n'),
    )
    .join('\n\n');
}

const EVENT_LOOP = ['14c05fb uv__io_poll', '14ac8a7 uv_run', '86853f node::Start'];

function layer(...frames: string[]): string {
  const [sample] = parsePerfScript(script({ frames }));
  if (!sample) throw new Error('no sample parsed');
  return layerOf(sample);
}

describe('perf samples by layer', () => {
  it('parses process, thread and frames of each sample, and an empty text as none', () => {
    const samples = parsePerfScript(
      `${script(
        { pid: 7, tid: 7, frames: ['ffffffff82240c89 pvm_irq_enable', ...EVENT_LOOP] },
        { pid: 7, tid: 9, frames: ['c494db v8::internal::(anonymous namespace)::Invoke'] },
      )}\n`,
    );
    expect(samples.map((sample) => [sample.pid, sample.tid, sample.frames.length])).toEqual([
      [7, 7, 4],
      [7, 9, 1],
    ]);
    expect(samples[0]?.frames[0]).toEqual({ address: 'ffffffff82240c89', symbol: 'pvm_irq_enable' });
    expect(parsePerfScript('')).toEqual([]);
    // perf right-aligns the ids: a short pid comes after spaces.
    const padded = parsePerfScript(
      '    618/620   \n\t          108cae epoll_pwait\n\n    618/618   \n\t f42291 uv_run\n',
    );
    expect(padded.map((sample) => [sample.pid, sample.tid, sample.frames[0]?.symbol])).toEqual([
      [618, 620, 'epoll_pwait'],
      [618, 618, 'uv_run'],
    ]);
  });

  it('a sample taken in the kernel counts as kernel, whatever JavaScript made the system call', () => {
    expect(
      layer(
        'ffffffff8223b5a5 do_syscall_64',
        '7f0 __GI___writev',
        '7f9bb81e1040 JS:*clearBuffer node:internal/streams/writable:744:21',
      ),
    ).toBe('kernel');
  });

  it('the garbage collector anywhere on the stack wins over the JavaScript that allocated', () => {
    expect(
      layer(
        'a1 v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>',
        'a2 v8::internal::Heap::CollectGarbage',
        '7f1 JS:*attemptUpstream file:///srv/switchyard/dist/src/gateway/attempt.js:46:35',
      ),
    ).toBe('garbage collection');
  });

  it('otherwise the innermost JavaScript function decides, builtins and C++ below it included', () => {
    expect(
      layer(
        'b1 Builtins_KeyedLoadIC_Megamorphic',
        '7f1 JS:*_resume /srv/switchyard/node_modules/undici/lib/dispatcher/client.js:589:18',
      ),
    ).toBe('undici');
    expect(
      layer(
        'b2 v8::internal::JsonParser<unsigned char>::BuildJsonObject',
        '7f2 JS:*readJsonAnswer file:///srv/switchyard/dist/src/gateway/attempt.js:20:31',
        '7f3 JS:*_resume /srv/switchyard/node_modules/undici/lib/dispatcher/client.js:589:18',
      ),
    ).toBe('switchyard gateway');
    expect(layer('7f4 JS:^ /srv/switchyard/node_modules/ajv/node_modules/fast-uri/lib/utils.js:1:1')).toBe(
      'fast-uri',
    );
    expect(layer('7f5 JS:*send /srv/x/node_modules/@fastify/ajv-compiler/index.js:3:1')).toBe(
      '@fastify/ajv-compiler',
    );
    expect(layer('7f6 JS:*Readable.read node:internal/streams/readable:647:35')).toBe('node streams');
    expect(layer('7f7 JS:*end node:_http_outgoing:1034:45')).toBe('node http');
    expect(layer('7f8 JS:*processTicksAndRejections node:internal/process/task_queues:67:35')).toBe(
      'node ticks and promises',
    );
    expect(layer('7f9 JS:wasm-function[20]-20-liftoff')).toBe('undici llhttp (WebAssembly)');
    expect(layer('7fa JS:*handler file:///srv/switchyard/dist/bench/proxy/bare-proxy.js:9:1')).toBe(
      'benchmark proxy',
    );
  });

  it('without JavaScript: V8 compiling, C library allocation, or native', () => {
    expect(
      layer(
        'c1 v8::internal::compiler::LoadElimination::ReduceOtherNode',
        'c2 v8::internal::OptimizingCompileDispatcher::CompileTask::RunInternal',
      ),
    ).toBe('V8 compiler');
    expect(layer('d1 _int_malloc', 'd2 malloc', ...EVENT_LOOP)).toBe('C library');
    expect(layer(...EVENT_LOOP)).toBe('native, other');
  });

  it('counts one process’s samples by main thread and other threads, and adds counts up', () => {
    const samples = parsePerfScript(
      script(
        { pid: 5, tid: 5, frames: ['7f1 JS:*Readable.read node:internal/streams/readable:647:35'] },
        { pid: 5, tid: 5, frames: ['7f1 JS:*Readable.read node:internal/streams/readable:647:35'] },
        { pid: 5, tid: 6, frames: ['a1 v8::internal::ScavengerCollector::JobTask::Run'] },
        { pid: 8, tid: 8, frames: ['7f1 JS:*Readable.read node:internal/streams/readable:647:35'] },
      ),
    );
    const counts = layerSamples(samples, 5);
    expect(counts.total).toBe(3);
    expect([...counts.main]).toEqual([['node streams', 2]]);
    expect([...counts.other]).toEqual([['garbage collection', 1]]);

    addLayerSamples(counts, layerSamples(samples, 8));
    expect(counts.total).toBe(4);
    expect(counts.main.get('node streams')).toBe(3);
  });

  it('names library functions the same in every process, and leaves each process’s own code out', () => {
    expect(functionName('JS:*parseHeaders /srv/a/node_modules/undici/lib/core/util.js:436:23')).toBe(
      'parseHeaders undici/lib/core/util.js:436',
    );
    expect(
      functionName('JS:*parseHeaders /home/b/switchyard/node_modules/undici/lib/core/util.js:436:23'),
    ).toBe('parseHeaders undici/lib/core/util.js:436');
    expect(functionName('JS:* node:internal/streams/readable:398:22')).toBe(
      '(anonymous) node:internal/streams/readable:398',
    );
    expect(functionName('JS:*run file:///srv/a/dist/src/gateway/gateway.js:171:9')).toBeNull();
    expect(functionName('JS:wasm-function[20]-20-liftoff')).toBeNull();

    const counts = layerSamples(
      parsePerfScript(
        script(
          {
            frames: [
              'b1 Builtins_LoadIC',
              '7f1 JS:*parseHeaders /srv/a/node_modules/undici/lib/core/util.js:436:23',
            ],
          },
          {
            frames: [
              'ffffffff8223b5a5 do_syscall_64',
              '7f1 JS:*parseHeaders /srv/a/node_modules/undici/lib/core/util.js:436:23',
            ],
          },
          { tid: 101, frames: ['7f1 JS:*parseHeaders /srv/a/node_modules/undici/lib/core/util.js:436:23'] },
        ),
      ),
      100,
    );
    // Only the main thread's sample outside the kernel counts for the function.
    expect([...counts.functions]).toEqual([['parseHeaders undici/lib/core/util.js:436', 1]]);
  });
});
