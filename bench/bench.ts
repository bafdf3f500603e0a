/**
 * `npm run bench`: Scribe against a bare discord.js bot (bench/bare-bot.ts), both as compiled JavaScript
 * in child processes of their own, against one Discord API emulator in this process with a guild of
 * 1,000 members in the meeting's voice channel. Every latency is taken at the emulator. For each bot:
 * start → ready and idle memory 12 s after ready (medians of 3 starts); 10 untimed submissions; then per
 * round 100 submissions one at a time and 1,000 submitted within 1 s (modals opened beforehand), each
 * against an emulator that has forgotten earlier interactions. Scribe also: each burst's updates counted
 * in its store, and /summary of the 1,000 × 10 meeting. Prints one table, writes bench-results/bench.json;
 * exit code 1 when a bot failed, not when a target was missed. Scribe runs from dist/ (`npm run build`).
 *
 *   npm run bench -- [--store sqlite|redis://…|postgres://…] [--rounds 3] [--members 1000] [--sequential 100] [--keep]
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { startEmulator, type Emulator } from '../test/emulator/index.ts';
import { openStore } from '../src/store/index.ts';
import { BotProcess, sleep } from './bot-process.ts';
import { botEnv, REPO, revision, runBench } from './run-bench.ts';
import { burst, outcomeOf, registerBareCommand, seedWorld, sequential, type World } from './drive.ts';
import { measureNotesCost, updateTextOf } from './notes-cost.ts';
import { formatReport, judgeTargets, summarise, type BenchResults, type BotRun } from './report.ts';
import { median } from './stats.ts';

const BARE_BOT = join(REPO, 'bench-results', 'dist', 'bare-bot.js');
const TIME_ZONE = 'Europe/Berlin';
const IDLE_STARTS = 3;
/** V8 shrinks the heap of an idle process after about 8 s. */
const IDLE_AFTER_MS = 12_000;
const WARMUP = 10;

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '3' },
    members: { type: 'string', default: '1000' },
    sequential: { type: 'string', default: '100' },
    out: { type: 'string', default: 'bench-results/bench.json' },
    keep: { type: 'boolean', default: false },
  },
});
const [rounds, members, sequentialCount] = [args.rounds, args.members, args.sequential].map(Number) as [number, number, number];
if (
  ![rounds, members, sequentialCount].every((n) => Number.isInteger(n) && n > 0) ||
  sequentialCount > members ||
  !/^(sqlite$|rediss?:\/\/|postgres(ql)?:\/\/)/.test(args.store)
) {
  process.stderr.write(
    'bench: --rounds, --members, --sequential are positive integers (--sequential ≤ --members); --store is sqlite, redis://… or postgres://…\n',
  );
  process.exit(2);
}
const WINDOW_MS = 1000;
const runTag = randomBytes(4).toString('hex');
const work = mkdtempSync(join(tmpdir(), 'scribe-bench-'));
const shared = args.store !== 'sqlite';
const storeUrl = shared ? args.store : `sqlite://${join(work, 'bench.sqlite')}`;
// In a shared database, a series of its own per run, removed at the end.
const seriesId = shared ? `bench-${runTag}` : 'bench';
const live: BotProcess[] = [];

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** Starts the bot IDLE_STARTS times and keeps the last one running; start → ready and idle memory are medians. */
async function startMeasuringIdle(run: BotRun, command: string[], env: NodeJS.ProcessEnv): Promise<BotProcess> {
  const ready: number[] = [];
  const idle: number[] = [];
  for (let i = 1; ; i += 1) {
    const bot = new BotProcess(command, { cwd: REPO, env, logPath: join(work, `${run.name}-${i}.log`) });
    live.push(bot);
    ready.push(await bot.waitReady(60_000));
    await sleep(IDLE_AFTER_MS);
    idle.push(await bot.residentKiB());
    log(`${run.name}: start ${i}/${IDLE_STARTS}: ready after ${ready.at(-1)?.toFixed(0)} ms, ${((idle.at(-1) ?? 0) / 1024).toFixed(1)} MiB idle`);
    if (i === IDLE_STARTS) {
      Object.assign(run, { startToReadyMs: median(ready), idleKiB: median(idle), idleSamplesKiB: idle });
      return bot;
    }
    await bot.stop();
  }
}

/** Members whose stored update ends with `tag`, re-read for up to 5 s while writes may still land. */
async function countStored(world: World, tag: string): Promise<number> {
  const store = await openStore(storeUrl);
  try {
    for (let waited = 0; ; waited += 250) {
      const meetingKey = (await store.series.get(seriesId))?.currentMeetingKey;
      const updates = meetingKey === undefined ? [] : await store.updates.list(meetingKey);
      const mine = new Set(world.memberIds);
      const count = updates.filter((u) => mine.has(u.userId) && u.update.bullets.at(-1)?.text.endsWith(`(${tag})`) === true).length;
      if (count === world.memberIds.length || waited >= 5000) return count;
      await sleep(250);
    }
  } finally {
    await store.close();
  }
}

/** The same for both bots: warm-up, then `rounds` × (one at a time, burst). */
async function measureRounds(emu: Emulator, world: World, run: BotRun, channelId: string, okText: RegExp): Promise<void> {
  const text = (phase: string) => (i: number) => updateTextOf(i, `${runTag}-${run.name}-${phase}`);
  await sequential(emu, world.memberIds.slice(0, WARMUP), channelId, text('warmup'));
  for (let round = 1; round <= rounds; round += 1) {
    emu.forgetHistory(); // the emulator's own GC would otherwise grow with every interaction kept
    log(`${run.name}: round ${round}/${rounds}: ${sequentialCount} one at a time`);
    run.sequential.push(summarise(await sequential(emu, world.memberIds.slice(0, sequentialCount), channelId, text(`seq${round}`)), okText));
    emu.forgetHistory();
    log(`${run.name}: round ${round}/${rounds}: ${members} within ${WINDOW_MS} ms`);
    const stats = summarise(await burst(emu, world.memberIds, channelId, text(`burst${round}`), WINDOW_MS), okText);
    if (run.name === 'scribe') stats.stored = await countStored(world, `${runTag}-scribe-burst${round}`);
    run.burst.push(stats);
  }
}

async function runBare(emu: Emulator, world: World): Promise<BotRun> {
  const run: BotRun = { name: 'bare', sequential: [], burst: [] };
  let bot: BotProcess | undefined;
  try {
    // Compiled like Scribe, so neither bot carries a TypeScript loader.
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(REPO, 'bench', 'tsconfig.json')], { stdio: 'inherit' });
    await registerBareCommand(emu, world.guildId);
    bot = await startMeasuringIdle(run, [BARE_BOT], botEnv(emu));
    await measureRounds(emu, world, run, world.textChannelId, /^Thanks/);
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  } finally {
    if (bot) run.problemLines = bot.problemLines();
    await bot?.stop();
  }
  return run;
}

function scribeConfig(world: World): string {
  return `series:
  - id: ${seriesId}
    guild: "${world.guildId}"
    voiceChannel: "${world.voiceChannelId}"
    textChannel: "${world.textChannelId}"
    timeZone: ${TIME_ZONE}
    open: "0 3 1 1 *" # never due during a run: the bench opens the meeting with /meeting start
    durationMinutes: 240
    threadName: "Bench {yyyy}-{mm}-{dd}"
    teams: [community]
    location: "Online, Discord, the \`#{voiceChannelName}\` voice channel"
    maintainerRoles: ["${world.maintainerRoleId}"]
    notesPath: "bench/{yyyy}-{mm}-{dd}.md"
`;
}

/** In Redis or Postgres: removes the records this run created (SQLite lives in the temporary directory). */
async function cleanSharedStore(world: World): Promise<void> {
  const store = await openStore(storeUrl);
  try {
    const meetingKey = (await store.series.get(seriesId))?.currentMeetingKey;
    for (const id of [world.maintainerId, ...world.memberIds]) {
      if (meetingKey !== undefined) await store.updates.delete(meetingKey, id);
      await store.names.delete(world.guildId, id);
    }
    if (meetingKey !== undefined) await Promise.all([store.attendance.delete(meetingKey), store.meetings.delete(meetingKey)]);
  } finally {
    await store.close();
  }
}

async function runScribe(emu: Emulator, world: World): Promise<BotRun> {
  const run: BotRun = { name: 'scribe', sequential: [], burst: [] };
  let bot: BotProcess | undefined;
  const configPath = join(work, 'scribe.yaml');
  writeFileSync(configPath, scribeConfig(world));
  const env = botEnv(emu, { STORE_URL: storeUrl, SCRIBE_CONFIG: configPath, LOG_LEVEL: 'info' });
  try {
    if (!existsSync(join(REPO, 'dist', 'src', 'cli.js'))) throw new Error('dist/ is not built: run `npm run build` first');
    await promisify(execFile)(process.execPath, ['bin/scribe.mjs', 'deploy-commands'], { cwd: REPO, env, timeout: 30_000 });
    bot = await startMeasuringIdle(run, ['bin/scribe.mjs', 'start'], env);
    const threadsBefore = new Set(emu.threads(world.textChannelId).map((c) => c.id));
    const start = await outcomeOf(emu.slash(world.maintainerId, world.textChannelId, 'meeting start'));
    const thread = emu.threads(world.textChannelId).find((c) => !threadsBefore.has(c.id));
    if (!thread) throw new Error(`/meeting start opened no thread (reply: ${start.text ?? 'none'})`);
    await measureRounds(emu, world, run, thread.id, /^Saved\b/);
    log('scribe: /summary');
    const summary = await outcomeOf(emu.slash(world.maintainerId, thread.id, 'summary'), 120_000);
    if (summary.savedMs !== null) Object.assign(run, { summaryMs: summary.savedMs, summaryText: summary.text ?? '' });
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  } finally {
    if (bot) run.problemLines = bot.problemLines();
    await bot?.stop(30_000);
    if (shared) await cleanSharedStore(world).catch((error: unknown) => log(`could not remove series ${seriesId}'s records: ${String(error)}`));
  }
  return run;
}

async function main(): Promise<number> {
  const began = performance.now();
  const startedAt = new Date().toISOString();
  log('notes: render and parse of 1,000 × 10');
  let notes: BenchResults['notes'];
  try {
    notes = measureNotesCost();
  } catch (error) {
    notes = { error: String(error) };
  }
  // The bots start three times in a row: identify concurrency would add 5 s to each start. The channel's
  // message limit stays on: /summary of any meeting is at most 5 messages (bench/summary.ts measures it).
  const emu = await startEmulator({ rules: { identifyConcurrency: false } });
  const world = seedWorld(emu, members);
  log(`emulator at ${emu.restUrl}: ${members} members and a maintainer, all in voice`);
  const bare = await runBare(emu, world);
  if (bare.error !== undefined) log(`bare: ${bare.error}`);
  const scribe = await runScribe(emu, world);
  if (scribe.error !== undefined) log(`scribe: ${scribe.error}`);
  await emu.close();

  const cpu = cpus();
  const results: BenchResults = {
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    revision: revision(),
    startedAt,
    durationMs: performance.now() - began,
    store: shared ? `${args.store.split(':')[0] ?? ''} (series ${seriesId})` : 'sqlite',
    members,
    sequentialCount,
    windowMs: WINDOW_MS,
    rounds,
    notes,
    bare,
    scribe,
    targets: [],
  };
  results.targets = judgeTargets(results);
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatReport(results)}\nJSON: ${out}\n`);
  return bare.error !== undefined || scribe.error !== undefined || 'error' in notes ? 1 : 0;
}

await runBench(main, { live, work, keep: args.keep, log });
