#!/usr/bin/env node
// Runs the bot as compiled JavaScript (dist/, built by tsc when missing or older than a source file):
// through a TypeScript loader it would carry the loader's hooks thread and about 35 MiB more memory
// for as long as it runs.
import { ensureBuilt } from '../scripts/build.mjs';

const dist = await ensureBuilt();
const { main } = await import(`${dist}/src/cli.js`);
process.exitCode = await main(process.argv.slice(2));
