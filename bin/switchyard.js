#!/usr/bin/env -S node --max-semi-space-size=8 --liftoff-only --no-memory-reducer
// Entry point of the `switchyard` command; the compiled CLI lives in dist/. The node options on the
// first line are the gateway's, measured in BENCHMARKS.md: a young generation of 2 x 8 MB instead of
// 2 x 16 (less memory at the same throughput), and WebAssembly compiled by the baseline compiler only
// (undici's HTTP parser is WebAssembly; optimising it under load grew a V8 background thread's
// C heap by up to 30 MB of compiler memory), and no memory reducer (after some seconds without
// requests it ran memory-reducing collections that dropped object shapes the optimized request
// path depends on, so V8 deoptimized and compiled it again under the next requests; an idle process
// keeps its heap instead). `npm start` and bench:proxy pass the same ones.
import('../dist/src/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
