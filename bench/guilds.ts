/**
 * `npm run bench:guilds`: Scribe with many small guilds on one shard, against the bare discord.js bot
 * (bench/bare-bot.ts) with the same guilds and intents; both compiled, each in a child process of its
 * own, against one emulator per world in this process.
 *
 * 1. Start → ready and resident memory 10 s after ready at each of `--points` guilds (medians of
 *    `--starts` starts; identify concurrency off, as in `npm run bench`, so starts in a row do not wait
 *    5 s), the largest point being the ratio measured, and the slope of memory per guild.
 * 2. `--guilds` series opening at the same minute with every Discord rule of the emulator on (global
 *    50 requests a second), `--updates` members giving `/update` as soon as their thread exists.
 *
 * Prints one table and writes bench-results/guilds.json; exit code 1 when a bot failed, not when a
 * target was missed.
 *
 *   npm run bench:guilds -- [--guilds 2500] [--points 500,1000,2500] [--starts 3] [--updates 300] [--only memory|opening] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator, type Emulator } from '../test/emulator/index.ts';
import { BotProcess, sleep } from './bot-process.ts';
import { botEnv, REPO, revision, runBench } from './run-bench.ts';
import { formatGuildsReport, type GuildsResults, type MemoryPoint, type StartSample } from './guilds-report.ts';
import { watchOpenings } from './guilds-opening.ts';
import { registerScribeCommands, seedGuilds, writeScribeConfig } from './guilds-world.ts';

const BARE_BOT = join(REPO, 'bench-results', 'dist', 'bare-bot.js');
/** The issue's "resident memory 10 s after ready". */
const IDLE_AFTER_MS = 10_000;
/**
 * A weekly meeting, as communities hold them (a yearly expression would cost the schedule a search
 * through a year of days per series at start), on a weekday three days from today: not open during the run.
 */
const WEEKLY_NOT_TODAY = `0 9 * * ${(new Date().getUTCDay() + 3) % 7}`;

const { values: args } = parseArgs({
  options: {
    guilds: { type: 'string', default: '2500' },
    points: { type: 'string', default: '500,1000,2500' },
    starts: { type: 'string', default: '3' },
    updates: { type: 'string', default: '300' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench-results/guilds.json' },
    keep: { type: 'boolean', default: false },
  },
});
const guildCount = Number(args.guilds);
const points = args.points.split(',').map(Number);
const [starts, updates] = [Number(args.starts), Number(args.updates)];
if (
  ![guildCount, starts, ...points].every((n) => Number.isInteger(n) && n > 0) ||
  !(Number.isInteger(updates) && updates >= 0 && updates <= guildCount) ||
  (args.only !== undefined && !['memory', 'opening'].includes(args.only))
) {
  process.stderr.write('bench:guilds: --guilds, --starts and each of --points are positive integers, --updates 0…--guilds, --only memory|opening\n');
  process.exit(2);
}
const runTag = randomBytes(4).toString('hex');
const work = mkdtempSync(join(tmpdir(), 'scribe-bench-guilds-'));
const live: BotProcess[] = [];

function log(line: string): void {
  process.stderr.write(`[bench:guilds ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function scribeEnv(emu: Emulator, configPath: string, storeUrl: string): NodeJS.ProcessEnv {
  return botEnv(emu, { STORE_URL: storeUrl, SCRIBE_CONFIG: configPath, LOG_LEVEL: 'info' });
}

/**
 * One start: spawn → discord.js's ready (the bare bot's "ready"; Scribe's "gateway ready", from pino's
 * time) and, for Scribe, → "ready" (its schedule armed too); the resident memory 10 s after the last.
 * The bot is stopped.
 */
async function oneStart(name: string, command: string[], env: NodeJS.ProcessEnv): Promise<StartSample> {
  const bot = new BotProcess(command, { cwd: REPO, env, logPath: join(work, `${name}.log`) });
  live.push(bot);
  try {
    const readyMs = await bot.waitReady(180_000);
    const gatewayMs = bot.loggedAfterMs('gateway ready');
    const scheduleMs = bot.loggedAfterMs('ready');
    await sleep(IDLE_AFTER_MS);
    const residentKiB = await bot.residentKiB();
    const problemLines = bot.problemLines();
    if (gatewayMs === undefined) return { readyMs, residentKiB, problemLines };
    return { readyMs: gatewayMs, allReadyMs: scheduleMs ?? readyMs, residentKiB, problemLines };
  } finally {
    await bot.stop(30_000);
  }
}

async function measurePoint(guilds: number): Promise<MemoryPoint> {
  const emu = await startEmulator({ rules: { identifyConcurrency: false } });
  const point: MemoryPoint = { guilds, bare: [], scribe: [] };
  try {
    const world = seedGuilds(emu, guilds);
    const configPath = join(work, `scribe-${guilds}.yaml`);
    writeScribeConfig(configPath, world, WEEKLY_NOT_TODAY);
    log(`${guilds} guilds: emulator at ${emu.restUrl}`);
    for (let i = 1; i <= starts; i += 1) {
      // Alternated, so that a change in the machine's load falls on both bots alike.
      const bare = await oneStart(`bare-${guilds}-${i}`, [BARE_BOT], botEnv(emu));
      point.bare.push(bare);
      const storeUrl = `sqlite://${join(work, `memory-${guilds}-${i}.sqlite`)}`;
      const scribe = await oneStart(`scribe-${guilds}-${i}`, ['bin/scribe.mjs', 'start'], scribeEnv(emu, configPath, storeUrl));
      point.scribe.push(scribe);
      const mib = (kib: number) => (kib / 1024).toFixed(1);
      log(
        `${guilds} guilds, start ${i}/${starts}: bare ready ${bare.readyMs.toFixed(0)} ms, ${mib(bare.residentKiB)} MiB; ` +
          `scribe gateway ready ${scribe.readyMs.toFixed(0)} ms, all ${scribe.allReadyMs?.toFixed(0) ?? '?'} ms, ${mib(scribe.residentKiB)} MiB`,
      );
    }
  } catch (error) {
    point.error = error instanceof Error ? error.message : String(error);
    log(`${guilds} guilds: ${point.error}`);
  } finally {
    await emu.close();
  }
  return point;
}

/** The first whole minute at least `leadMs` from now. */
function nextMinute(leadMs: number): Date {
  const at = new Date(Date.now() + leadMs);
  at.setUTCSeconds(0, 0);
  return new Date(at.getTime() + 60_000);
}

async function measureOpening(): Promise<GuildsResults['opening']> {
  const emu = await startEmulator();
  let bot: BotProcess | undefined;
  try {
    const world = seedGuilds(emu, guildCount);
    await registerScribeCommands(emu);
    // Long enough for Scribe to be ready before it (2,500 guilds take seconds on a busy machine).
    const minute = nextMinute(45_000);
    const configPath = join(work, 'scribe-opening.yaml');
    writeScribeConfig(configPath, world, `${minute.getUTCMinutes()} ${minute.getUTCHours()} * * *`);
    const storeUrl = `sqlite://${join(work, 'opening.sqlite')}`;
    log(`opening: ${guildCount} guilds, every Discord rule on; the meetings open at ${minute.toISOString()}`);
    bot = new BotProcess(['bin/scribe.mjs', 'start'], { cwd: REPO, env: scribeEnv(emu, configPath, storeUrl), logPath: join(work, 'scribe-opening.log') });
    live.push(bot);
    const readyMs = await bot.waitReady(180_000);
    const readyBeforeMinute = Date.now() < minute.getTime();
    if (!readyBeforeMinute) log('opening: Scribe was ready only after the minute: start-up caught up with the openings');
    const results = await watchOpenings(emu, world, { minute, updates, timeoutMs: 300_000, storeUrl, tag: runTag, log });
    return { ...results, readyMs, readyBeforeMinute, problemLines: bot.problemLines() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await bot?.stop(30_000);
    await emu.close();
  }
}

async function main(): Promise<number> {
  const began = performance.now();
  const startedAt = new Date().toISOString();
  if (!existsSync(join(REPO, 'dist', 'src', 'cli.js'))) throw new Error('dist/ is not built: run `npm run build` first');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(REPO, 'bench', 'tsconfig.json')], { stdio: 'inherit' });
  const load = [loadavg()[0] ?? 0];
  const memory: MemoryPoint[] = [];
  for (const n of args.only === 'opening' ? [] : points) {
    memory.push(await measurePoint(n));
    load.push(loadavg()[0] ?? 0);
  }
  const opening = args.only === 'memory' ? undefined : await measureOpening();
  load.push(loadavg()[0] ?? 0);
  const cpu = cpus();
  const results: GuildsResults = {
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    revision: revision(),
    startedAt,
    durationMs: performance.now() - began,
    loadAverages: load,
    starts,
    memory,
    ...(opening === undefined ? {} : { opening }),
  };
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatGuildsReport(results)}\nJSON: ${out}\n`);
  const failed = memory.some((p) => p.error !== undefined) || (opening !== undefined && 'error' in opening);
  return failed ? 1 : 0;
}

await runBench(main, { live, work, keep: args.keep, log });
