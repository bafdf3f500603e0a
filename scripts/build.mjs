#!/usr/bin/env node
/**
 * Compiles the bot (src/, commands/) and the benchmark's bare bot to JavaScript in dist/ with tsc,
 * keeping the layout (commands/ is still read as a directory). Types are checked by `npm test`, not
 * here, so a build takes about 2 s. Written to a directory of its own first and then swapped in: a
 * command file deleted from commands/ must not live on in dist/.
 *
 *   node scripts/build.mjs          build
 *   import { ensureBuilt } …        build only when dist/ is missing or older than a source
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
/** Written last: dist/ is complete when it is there, and its time is the build's. */
const STAMP = join(DIST, '.built');
const SOURCES = ['src', 'commands', 'scripts/bench/bare-bot.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestSourceMs() {
  let newest = 0;
  for (const entry of SOURCES) {
    const path = join(ROOT, entry);
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) continue;
    for (const file of readdirSync(path, { recursive: true })) newest = Math.max(newest, statSync(join(path, String(file))).mtimeMs);
  }
  return newest;
}

export function isBuilt() {
  return existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSourceMs();
}

export async function build() {
  // Loaded only to build: the bot itself starts through ensureBuilt() and should not carry it.
  const { execFileSync } = await import('node:child_process');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const staging = `${DIST}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', staging], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    writeFileSync(join(staging, '.built'), `${new Date().toISOString()}\n`);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(staging, DIST);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Builds when dist/ is missing or stale; returns dist/'s path. */
export async function ensureBuilt() {
  if (!isBuilt()) await build();
  return DIST;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await build();
