#!/usr/bin/env node
// Runs Scribe as compiled JavaScript from dist/, built by `npm run build` (which `npm start` runs first).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('scribe: dist/ is not built: run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
