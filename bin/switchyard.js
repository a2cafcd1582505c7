#!/usr/bin/env -S node --max-semi-space-size=8
// Entry point of the `switchyard` command; the compiled CLI lives in dist/. The node options on the
// first line are the gateway's (a young generation of 2 x 8 MB instead of 2 x 16: less memory at the
// same throughput, BENCHMARKS.md); `npm start` and bench:proxy pass the same ones.
import('../dist/src/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
