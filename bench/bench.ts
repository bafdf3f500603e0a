/**
 * `npm run bench`: Scribe against the floor set by discord.js itself. One Discord API emulator runs in
 * this process with a guild of 1,000 members (all in the meeting's voice channel) and a maintainer; a bare
 * discord.js bot (scripts/bench/bare-bot.ts) and then Scribe run against it, each as a child process, so
 * resident memory is per bot. Every latency is taken at the emulator: INTERACTION_CREATE sent → callback
 * arrived. For each bot: start → ready and idle RSS 2 s and 12 s after ready (medians of three starts),
 * 10 untimed submissions, then three rounds of 100 sequential modal submissions and a burst of 1,000
 * submissions from 1,000 members within 1 s (modals opened beforehand), RSS 1 s and 12 s after them.
 * Each round and burst starts with the emulator's history forgotten, so that its heap, and the garbage
 * collection that delays the timestamps it takes, is the same for both bots whatever came before.
 * The round with the median p99 is reported, with every round's p99.
 * Scribe also: the burst's updates counted in its store, and `/summary` of the 1,000 × 10 meeting.
 * The notes' render/parse cost is measured in this process (scripts/bench/notes-cost.ts); what the
 * first use of Intl costs in resident memory, which Scribe pays and the bare bot does not, in probe
 * processes of its own (scripts/bench/intl-probe.ts).
 *
 *   node bin/run-ts.mjs scripts/bench.ts [--out bench-results/bench.json] [--store redis://localhost:6379]
 *        [--members 1000] [--sequential 100] [--window-ms 1000] [--rounds 3] [--only bare|scribe] [--cpu-prof] [--keep]
 *
 * --cpu-prof writes each bot's CPU profile to bench-results/prof/; --keep keeps the temporary directory
 * (Scribe's config and SQLite file, and each bot start's output: bare-1.log … scribe-3.log). Exit code 1
 * when a bot failed, not when a target was missed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { startEmulator, type Emulator } from '../test/emulator/index.ts';
import { ensureBuilt } from './build.mjs';
import { openStore } from '../src/store/index.ts';
import { BotProcess, cpuTimeMs, sampleResidentKiB, sleep, systemBusyMs, waitForQuiet } from './bench/child.ts';
import { burstSubmissions, outcomeOf, sequentialSubmissions, type BurstStats, type UpdateText } from './bench/drive.ts';
import { median, medianRun } from './bench/stats.ts';
import { measureIntlCost, type IntlCost } from './bench/intl-cost.ts';
import { measureNotesCost, updateTextOf, type NotesCost } from './bench/notes-cost.ts';
import { computeRatios, formatReport, judgeTargets, pooledAcks, type BenchResults, type BotRun, type StoreCheck } from './bench/report.ts';
import { timeSummary } from './bench/summary.ts';
import { BARE_COMMANDS, registerGuildCommands, seedWorld, type BenchWorld } from './bench/world.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const READY_TIMEOUT_MS = 60_000;
/** Idle memory is read twice: soon after ready, and settled (V8 shrinks an idle heap after about 8 s). */
const IDLE_EARLY_MS = 2_000;
const IDLE_SETTLED_MS = 12_000;
const IDLE_STARTS = 3;
const WARMUP_SUBMISSIONS = 10;
/** Before measuring a bot, wait up to this long for other processes to leave the CPU alone. */
const QUIET_WAIT_MS = 60_000;
/** Other processes' CPU, as a share of one core, under which a burst counts as undisturbed. */
const QUIET_THRESHOLD = 0.1;
const BURST_ATTEMPTS = 2;

function otherShare(burst: BurstStats): number {
  return burst.otherCpuMs / burst.wallMs;
}
/** The whole run; past this the bench reports what it has and exits. */
const RUN_TIMEOUT_MS = 9 * 60_000;
const TIME_ZONE = 'Europe/Berlin';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench-results/bench.json' },
    store: { type: 'string' },
    members: { type: 'string', default: '1000' },
    sequential: { type: 'string', default: '100' },
    'window-ms': { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const members = Number(args.members);
const sequentialCount = Number(args.sequential);
const windowMs = Number(args['window-ms']);
const rounds = Number(args.rounds);
if (![members, sequentialCount, windowMs, rounds].every((n) => Number.isInteger(n) && n > 0) || sequentialCount > members) {
  process.stderr.write('bench: --members, --sequential, --window-ms and --rounds must be positive integers, --sequential ≤ --members\n');
  process.exit(2);
}
if (args.only !== undefined && args.only !== 'bare' && args.only !== 'scribe') {
  process.stderr.write('bench: --only takes bare or scribe\n');
  process.exit(2);
}

const runTag = randomBytes(4).toString('hex');
const work = mkdtempSync(join(tmpdir(), 'scribe-bench-'));
const redis = args.store !== undefined && /^rediss?:\/\//.test(args.store);
if (args.store !== undefined && !redis) {
  process.stderr.write('bench: --store takes a redis:// URL (SQLite in a temporary directory is the default)\n');
  process.exit(2);
}
const storeUrl = args.store ?? `sqlite://${join(work, 'bench.sqlite')}`;
// A series id of its own per Redis run, so its keys never meet anyone else's.
const seriesId = redis ? `bench-${runTag}` : 'bench';
const profDir = resolve(REPO, 'bench-results', 'prof');
const nodeArgs = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
const live: BotProcess[] = [];

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function botEnv(emu: Emulator, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DISCORD_TOKEN: emu.token, DISCORD_API_URL: emu.restUrl, ...extra };
  delete env['NODE_OPTIONS'];
  return env;
}

/** The commit measured, with "+changes" when the tree differs from it (figures are only comparable per commit). */
function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

function localDate(timeZone: string, at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The tag of the burst texts; each burst attempt has its own, so the store check sees the last one's. */
let burstTag = `${runTag}-burst1`;
const sequentialText: UpdateText = (i) => updateTextOf(i, `${runTag}-seq`);
const burstText: UpdateText = (i) => updateTextOf(i, burstTag);

/** One burst round; run again (up to BURST_ATTEMPTS in all) when other processes were busy during it. */
async function burstRound(emu: Emulator, world: BenchWorld, bot: BotProcess, run: BotRun, channelId: string, round: number): Promise<BurstStats> {
  let burst: BurstStats | undefined;
  for (let attempt = 1; attempt <= BURST_ATTEMPTS; attempt += 1) {
    if (burst !== undefined) {
      log(`${run.name}: other processes used ${(otherShare(burst) * 100).toFixed(0)}% of a core during burst ${round}; once more`);
    }
    // The bot itself may still be finishing the previous burst's work.
    await waitForQuiet([], QUIET_WAIT_MS, QUIET_THRESHOLD);
    emu.forgetHistory();
    burstTag = `${runTag}-burst${round}.${attempt}`;
    burst = await burstSubmissions(emu, world.memberIds, channelId, burstText, bot.pid, windowMs);
    run.burstAttempts = (run.burstAttempts ?? 0) + 1;
    if (otherShare(burst) <= QUIET_THRESHOLD) break;
  }
  if (!burst) throw new Error('no burst was run');
  return burst;
}

function poolRounds(run: BotRun): void {
  const sequentialPooled = pooledAcks(run.sequentialRounds);
  const burstPooled = pooledAcks(run.burstRounds);
  const laterBurstsPooled = pooledAcks(run.burstRounds?.slice(1));
  if (sequentialPooled) run.sequentialPooled = sequentialPooled;
  if (burstPooled) run.burstPooled = burstPooled;
  if (laterBurstsPooled) run.laterBurstsPooled = laterBurstsPooled;
}

/**
 * Warm-up, then `rounds` × (100 sequential, the 1,000-member burst), then memory: the same for both
 * bots. The round with the median p99 is the one reported; the store check looks for the last burst's texts.
 */
async function measureUpdates(emu: Emulator, world: BenchWorld, bot: BotProcess, run: BotRun, channelId: string): Promise<void> {
  const quietWait = performance.now();
  const load = await waitForQuiet([bot.pid], QUIET_WAIT_MS, QUIET_THRESHOLD);
  const waited = performance.now() - quietWait;
  if (waited > 1500) log(`${run.name}: waited ${(waited / 1000).toFixed(0)} s for other processes to quieten (last: ${(load * 100).toFixed(0)}% of a core)`);
  log(`${run.name}: warm-up (${WARMUP_SUBMISSIONS} submissions, untimed)`);
  await sequentialSubmissions(emu, world.memberIds.slice(0, WARMUP_SUBMISSIONS), channelId, sequentialText);
  run.sequentialRounds = [];
  run.burstRounds = [];
  let otherLoad = 0;
  for (let round = 1; round <= rounds; round += 1) {
    await waitForQuiet([], QUIET_WAIT_MS, QUIET_THRESHOLD);
    // Each round against an emulator that holds no earlier interactions (see Emulator.forgetHistory).
    emu.forgetHistory();
    const began = { at: performance.now(), system: systemBusyMs(), bot: cpuTimeMs(bot.pid), own: process.cpuUsage() };
    log(`${run.name}: round ${round}/${rounds}: ${sequentialCount} sequential submissions`);
    run.sequentialRounds.push(await sequentialSubmissions(emu, world.memberIds.slice(0, sequentialCount), channelId, sequentialText));
    const own = process.cpuUsage(began.own);
    const other = systemBusyMs() - began.system - (cpuTimeMs(bot.pid) - began.bot) - (own.user + own.system) / 1000;
    otherLoad = Math.max(otherLoad, Math.max(0, other) / (performance.now() - began.at));
    log(`${run.name}: round ${round}/${rounds}: burst of ${members} (modals first, then ${members} submissions within ${windowMs} ms)`);
    const burst = await burstRound(emu, world, bot, run, channelId, round);
    run.burstRounds.push(burst);
    otherLoad = Math.max(otherLoad, otherShare(burst));
    // After each round, so that a run cut short by an error still reports what it measured.
    poolRounds(run);
  }
  const sequential = medianRun(run.sequentialRounds, (p) => p.ack.p99Ms);
  const burst = medianRun(run.burstRounds, (p) => p.ack.p99Ms);
  if (sequential) run.sequential = sequential;
  if (burst) run.burst = burst;
  run.otherLoad = otherLoad;
  await sleep(1000);
  run.rssAfterUpdatesKiB = await sampleResidentKiB(bot.pid);
  // Whether the pages the heap grew into during the bursts are given back once the bot is idle again.
  await sleep(IDLE_SETTLED_MS - 1000 - 800);
  run.rssSettledAfterUpdatesKiB = await sampleResidentKiB(bot.pid);
}

/**
 * Starts the bot IDLE_STARTS times (the last one is kept running and returned): start → ready and idle
 * resident memory are the medians over the starts. A single reading of idle memory can be ~13 MiB off
 * either way, depending on how much of the malloc arena in which V8 compiled undici's WebAssembly HTTP
 * parser (29.7 MiB at its peak) glibc could hand back: 0.2 to 9.2 MiB stays, from start to start. Idle
 * memory is read 2 s after ready (start-up garbage still in the heap) and 12 s after (settled: V8's
 * memory reducer has shrunk the heap of an idle process); the target is judged on the settled reading.
 */
async function startMeasuringIdle(run: BotRun, start: (logPath: string) => BotProcess): Promise<BotProcess> {
  const ready: number[] = [];
  const early: number[] = [];
  const settled: number[] = [];
  const anon: number[] = [];
  const mib = (kib: number | undefined): string => ((kib ?? Number.NaN) / 1024).toFixed(1);
  for (let i = 1; ; i += 1) {
    await waitForQuiet([], QUIET_WAIT_MS, QUIET_THRESHOLD);
    const bot = start(join(work, `${run.name}-${i}.log`));
    live.push(bot);
    ready.push(await bot.waitReady(READY_TIMEOUT_MS));
    await sleep(IDLE_EARLY_MS);
    early.push(await sampleResidentKiB(bot.pid));
    // The early reading itself took about 0.8 s.
    await sleep(IDLE_SETTLED_MS - IDLE_EARLY_MS - 800);
    settled.push(await sampleResidentKiB(bot.pid));
    anon.push(await sampleResidentKiB(bot.pid, 3, 100, 'RssAnon'));
    log(`${run.name}: start ${i}/${IDLE_STARTS}: ready after ${(ready.at(-1) ?? Number.NaN).toFixed(0)} ms; idle ${mib(early.at(-1))} MiB after 2 s, ${mib(settled.at(-1))} MiB after 12 s (${mib(anon.at(-1))} private)`);
    if (i >= IDLE_STARTS) {
      run.startToReadySamplesMs = ready;
      run.rssEarlySamplesKiB = early;
      run.rssIdleSamplesKiB = settled;
      run.rssAnonIdleSamplesKiB = anon;
      run.startToReadyMs = median(ready);
      run.rssEarlyKiB = median(early);
      run.rssIdleKiB = median(settled);
      run.rssAnonIdleKiB = median(anon);
      return bot;
    }
    await bot.stop();
  }
}

async function runBare(emu: Emulator, world: BenchWorld): Promise<BotRun> {
  const run: BotRun = { name: 'bare', commands: 'registered by the bench (PUT guild commands)' };
  let bot: BotProcess | undefined;
  try {
    await registerGuildCommands(emu, world.guildId, BARE_COMMANDS);
    await waitForQuiet([], QUIET_WAIT_MS, QUIET_THRESHOLD);
    // Compiled like Scribe (see bin/scribe.mjs), so neither bot carries a TypeScript loader.
    const bareBot = join(await ensureBuilt(), 'scripts/bench/bare-bot.js');
    const start = (logPath: string): BotProcess => new BotProcess('bare bot', [bareBot], { cwd: REPO, env: botEnv(emu), logPath, nodeArgs });
    bot = await startMeasuringIdle(run, start);
    run.interactionChannel = 'text channel';
    await measureUpdates(emu, world, bot, run, world.textChannelId);
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  } finally {
    if (bot) {
      run.problemLines = bot.problemLines;
      await bot.stop();
    }
  }
  return run;
}

function scribeConfig(world: BenchWorld): string {
  return [
    'series:',
    `  - id: ${seriesId}`,
    `    guild: "${world.guildId}"`,
    `    voiceChannel: "${world.voiceChannelId}"`,
    `    textChannel: "${world.textChannelId}"`,
    `    timeZone: ${TIME_ZONE}`,
    // Never due during a run: the bench opens the meeting with /meeting start.
    '    open: "0 3 1 1 *"',
    '    durationMinutes: 240',
    '    threadName: "Bench {yyyy}-{mm}-{dd}"',
    '    teams: [community]',
    '    location: "Online, Discord, the `#{voiceChannelName}` voice channel"',
    `    maintainerRoles: ["${world.maintainerRoleId}"]`,
    '    notesPath: "bench/{yyyy}-{mm}-{dd}.md"',
    '',
  ].join('\n');
}

/** `scribe deploy-commands`; when it is not usable, the command definitions from commands/ registered by the bench. */
async function deployScribeCommands(emu: Emulator, world: BenchWorld, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, ['bin/scribe.mjs', 'deploy-commands'], { cwd: REPO, env, timeout: 30_000 });
    const names = [...emu.commands(world.guildId), ...emu.commands(null)].map((c) => c.name);
    if (!names.includes('update')) throw new Error(`it registered no /update (registered: ${names.join(', ') || 'nothing'})`);
    return 'scribe deploy-commands';
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n').slice(0, 3).join(' / ');
    const { loadCommands } = await import('../src/discord/load-commands.ts');
    const modules = await loadCommands();
    const names = modules.map((m) => m.data.name);
    if (!names.includes('update')) throw new Error(`scribe deploy-commands failed (${reason}) and commands/ defines no /update (it has: ${names.join(', ') || 'nothing'})`);
    await registerGuildCommands(emu, world.guildId, modules.map((m) => m.data));
    return `bench registered commands/ definitions (deploy-commands failed: ${reason})`;
  }
}

/**
 * Counts the burst members whose stored update is this run's burst text. Writes may still be queued
 * when the last reply came (or did not), so the count is re-read until it is complete or `waitMs` passed.
 */
async function checkStore(world: BenchWorld, waitMs = 30_000): Promise<StoreCheck> {
  const began = performance.now();
  const store = await openStore(storeUrl);
  try {
    for (;;) {
      const state = await store.series.get(seriesId);
      const meetingKey = state?.currentMeetingKey ?? `${seriesId}/${localDate(TIME_ZONE)}`;
      const updates = await store.listUpdates(meetingKey);
      const byUser = new Map(updates.map((u) => [u.userId, u]));
      const verified = world.memberIds.filter((id) => byUser.get(id)?.update.bullets.at(-1)?.text.endsWith(`(${burstTag})`) === true).length;
      const checkMs = performance.now() - began;
      if (verified === world.memberIds.length || checkMs > waitMs) {
        return { meetingKey, listed: updates.length, verified, expected: world.memberIds.length, checkMs };
      }
      await sleep(500);
    }
  } finally {
    await store.close();
  }
}

/** Redis only (SQLite lives in the temporary directory): removes the records this run created. */
async function cleanRedis(world: BenchWorld, meetingKey: string): Promise<void> {
  const store = await openStore(storeUrl);
  try {
    for (const id of [world.maintainerId, ...world.memberIds]) {
      await store.updates.delete(meetingKey, id);
      await store.names.delete(world.guildId, id);
    }
    await store.attendance.delete(meetingKey);
    await store.meetings.delete(meetingKey);
  } finally {
    await store.close();
  }
}

async function runScribe(emu: Emulator, world: BenchWorld): Promise<BotRun> {
  const run: BotRun = { name: 'scribe' };
  let bot: BotProcess | undefined;
  const configPath = join(work, 'scribe.yaml');
  writeFileSync(configPath, scribeConfig(world));
  const env = botEnv(emu, { STORE_URL: storeUrl, SCRIBE_CONFIG: configPath, LOG_LEVEL: 'info' });
  try {
    run.commands = await deployScribeCommands(emu, world, env);
    await waitForQuiet([], QUIET_WAIT_MS, QUIET_THRESHOLD);
    bot = await startMeasuringIdle(run, (logPath) => new BotProcess('scribe', ['bin/scribe.mjs', 'start'], { cwd: REPO, env, logPath, nodeArgs }));

    log('scribe: /meeting start');
    const threadsBefore = new Set(emu.threads(world.textChannelId).map((c) => c.id));
    const start = await outcomeOf(emu.slash(world.maintainerId, world.textChannelId, 'meeting start'), world.maintainerId);
    if (!start.ack?.accepted || start.finalText === null) {
      throw new Error(`/meeting start got no answer (ack: ${start.ack ? `type ${start.ack.type}, accepted ${String(start.ack.accepted)}` : 'none'})`);
    }
    run.meetingStartReply = start.finalText;
    const thread = emu.threads(world.textChannelId).find((c) => !threadsBefore.has(c.id));
    // The meeting's thread is where members give updates; without one, the series' text channel.
    const channelId = thread?.id ?? world.textChannelId;
    run.interactionChannel = thread ? 'meeting thread' : 'text channel (no thread was opened)';

    await measureUpdates(emu, world, bot, run, channelId);
    log('scribe: checking the store');
    run.store = await checkStore(world);
    log(`scribe: /summary of ${run.store.listed} updates`);
    run.summary = await timeSummary(emu, world.maintainerId, channelId);
    // Stopping lets Scribe finish queued writes; what is not in the store then is lost.
    await bot.stop(30_000);
    run.storeAtEnd = await checkStore(world, 0);
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
  } finally {
    if (bot) {
      run.problemLines = bot.problemLines;
      await bot.stop(10_000);
    }
    if (redis) {
      await cleanRedis(world, run.store?.meetingKey ?? `${seriesId}/${localDate(TIME_ZONE)}`).catch((error: unknown) => {
        log(`could not clean the Redis records of series ${seriesId}: ${String(error)}`);
      });
    }
  }
  return run;
}

function notesCost(): NotesCost | { error: string } {
  try {
    return measureNotesCost();
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function intlCost(): Promise<IntlCost | { error: string }> {
  try {
    return await measureIntlCost(await ensureBuilt(), TIME_ZONE);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

async function main(): Promise<number> {
  const began = performance.now();
  const cpu = cpus();
  log('notes: render and parse of 1,000 × 10');
  const notes = notesCost();
  log('Intl: resident memory of its first use, in processes of its own');
  const intl = await intlCost();
  const emu = await startEmulator();
  const world = seedWorld(emu, members);
  log(`emulator at ${emu.restUrl}: guild with ${members} members + maintainer, all in voice`);
  const skip = (name: 'bare' | 'scribe'): BotRun => ({ name, skipped: true });
  const bare = args.only === 'scribe' ? skip('bare') : await runBare(emu, world);
  if (bare.error) log(`bare: ${bare.error}`);
  const scribe = args.only === 'bare' ? skip('scribe') : await runScribe(emu, world);
  if (scribe.error) log(`scribe: ${scribe.error}`);
  await emu.close();

  const results: BenchResults = {
    machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown', memoryGiB: totalmem() / 2 ** 30, node: process.version, os: `${type()} ${release()}` },
    startedAt: new Date(Date.now() - (performance.now() - began)).toISOString(),
    revision: revision(),
    durationMs: 0,
    store: redis ? `redis (series ${seriesId})` : 'sqlite',
    members,
    sequentialCount,
    burstWindowMs: windowMs,
    rounds,
    notes,
    intl,
    bare,
    scribe,
    ratios: {},
    targets: [],
  };
  results.ratios = computeRatios(bare, scribe, 'totalKiB' in intl ? intl : undefined);
  results.targets = judgeTargets(results);
  results.durationMs = performance.now() - began;
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(formatReport(results));
  process.stdout.write(`\nJSON: ${out}\n`);
  return bare.error || scribe.error || 'error' in notes || 'error' in intl ? 1 : 0;
}

const watchdog = setTimeout(() => {
  log(`the run took longer than ${RUN_TIMEOUT_MS / 60_000} minutes; stopping`);
  for (const bot of live) bot.child.kill('SIGKILL');
  process.exit(1);
}, RUN_TIMEOUT_MS);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const bot of live) bot.child.kill('SIGKILL');
    process.exit(130);
  });
}

try {
  process.exitCode = await main();
} finally {
  for (const bot of live) if (bot.running) bot.child.kill('SIGKILL');
  if (!args.keep) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}
