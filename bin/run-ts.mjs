#!/usr/bin/env node
// Runs one TypeScript script (benchmarks, the demo, the emulator) through tsx's loader.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [script, ...rest] = process.argv.slice(2);
if (!script) {
  process.stderr.write('usage: run-ts.mjs SCRIPT.ts [ARGS...]\n');
  process.exit(2);
}
register();
process.argv = [process.argv[0] ?? 'node', resolve(script), ...rest];
await import(pathToFileURL(resolve(script)).href);
