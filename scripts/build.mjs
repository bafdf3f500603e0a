#!/usr/bin/env node
/**
 * Compiles the bot (src/, commands/) and the benchmark's bare bot and Intl probe to JavaScript in dist/
 * with tsc, keeping the layout (commands/ is still read as a directory). Types are checked by
 * `npm test`, not here, so a build takes about 2 s. Written to a directory of its own first and then
 * swapped in: a command file deleted from commands/ must not live on in dist/. One process builds at a
 * time (a lock file, dist.lock, holding its pid): processes that find dist/ stale together (two starts
 * after a pull, deploy-commands beside the bot) wait for that one build and use it, rather than each
 * swapping in its own under the others. A lock whose process is gone, or older than any build, is taken
 * over.
 *
 *   node scripts/build.mjs          build
 *   import { ensureBuilt } …        build only when dist/ is missing or older than a source
 */
import { closeSync, existsSync, fstatSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
/** Written last: dist/ is complete when it is there, and its time is the build's. */
const STAMP = join(DIST, '.built');
const LOCK = `${DIST}.lock`;
const LOCK_POLL_MS = 100;
/** Far longer than a build (about 2 s, 10 s on a busy machine). */
const LOCK_STALE_MS = 120_000;
const SOURCES = ['src', 'commands', 'scripts/bench/bare-bot.ts', 'scripts/bench/intl-probe.ts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

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

/** The lock as found: its text and its age; undefined when there is none. */
function readLock() {
  let fd;
  try {
    fd = openSync(LOCK, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    return { text: readFileSync(fd, 'utf8'), ageMs: Date.now() - stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether a lock is left over: its process has ended, or it is older than any build takes (its pid
 * may since belong to another process, this one included: a container's bot is pid 1 at every start).
 * Pids are only compared within one machine's (one pid namespace's) processes. False while the
 * holder has not written its pid yet.
 */
function isStale(lock) {
  if (lock.ageMs > LOCK_STALE_MS) return true;
  const pid = Number(lock.text.split(' ', 1)[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/**
 * Removes the stale lock `seen`, and only it: two processes may judge it stale together, and the
 * first may already have taken the lock by the time the second acts. The lock is moved aside
 * atomically; if what was moved is not `seen` (its text, pid and token, tells: a new file may get the
 * old one's inode), it is a live lock and goes back. Left open: a third process that creates a lock
 * in the moment between the two moves; then two build side by side, as before the lock.
 */
function removeStale(seen) {
  const aside = `${LOCK}.stale-${process.pid}`;
  try {
    renameSync(LOCK, aside);
  } catch {
    return;
  }
  try {
    if (readFileSync(aside, 'utf8') !== seen.text) linkSync(aside, LOCK);
  } catch {
    // A newer lock is in place already: that process holds it.
  } finally {
    rmSync(aside, { force: true });
  }
}

/** Runs `fn` holding the build lock, waiting for it as long as its holder runs. */
async function withBuildLock(fn) {
  const { setTimeout: sleep } = await import('node:timers/promises');
  const { randomUUID } = await import('node:crypto');
  // The pid says whose it is; the token tells this process's lock from a later one with its pid.
  const mine = `${process.pid} ${randomUUID()}\n`;
  for (;;) {
    try {
      writeFileSync(LOCK, mine, { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const lock = readLock();
      if (lock && isStale(lock)) removeStale(lock);
      else await sleep(LOCK_POLL_MS);
    }
  }
  try {
    return await fn();
  } finally {
    if (readLock()?.text === mine) rmSync(LOCK, { force: true });
  }
}

/** Builds dist/ now, after any build under way in another process. */
export async function build() {
  await withBuildLock(buildUnlocked);
}

async function buildUnlocked() {
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
  if (isBuilt()) return DIST;
  // Another process may have built it while this one waited for the lock.
  await withBuildLock(async () => {
    if (!isBuilt()) await buildUnlocked();
  });
  return DIST;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await build();
