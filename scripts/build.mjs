#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ and commands/ into dist/ with tsc (types are checked by `npm test`, not
 * here). Built beside dist/ and then swapped in: a command file deleted from commands/ does not live on
 * in dist/, and a process starting meanwhile finds dist/ missing for a moment, not for the whole build.
 */
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');

export function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const staging = `${DIST}.new-${process.pid}`;
  try {
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', staging], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    rmSync(DIST, { recursive: true, force: true });
    renameSync(staging, DIST);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) build();
