#!/usr/bin/env node
// Entry point of the `switchyard` command; the compiled CLI lives in dist/.
import('../dist/src/cli/main.js').then((cli) => cli.main(process.argv.slice(2)));
