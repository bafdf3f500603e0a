import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BotProcess, isReadyLine, LogFileReader } from '../../scripts/bench/child.ts';
import { textInputIds } from '../../scripts/bench/drive.ts';
import { largeMeeting, updateTextOf } from '../../scripts/bench/notes-cost.ts';
import { computeRatios, judgeTargets, pooledAcks, type BotRun } from '../../scripts/bench/report.ts';
import { intlCostOf, measureIntlCost, parseProbeLine } from '../../scripts/bench/intl-cost.ts';
import { DIST } from '../../scripts/build.mjs';
import { distribution, maxOf, median, medianRun, percentile, ratio } from '../../scripts/bench/stats.ts';
import { parseUpdate } from '../../src/notes/bullets.ts';

describe('median', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is NaN without samples', () => {
    expect(median([])).toBeNaN();
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted on purpose
  it('gives an observed value: p99 of 1…100 is 99, p100 is the max, p1 the min', () => {
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 1)).toBe(1);
  });
  it('p99 of 1,000 samples is the 990th smallest', () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(thousand, 99)).toBe(990);
  });
  it('p99 of few samples is their max', () => {
    expect(percentile([3, 7, 5], 99)).toBe(7);
  });
  it('refuses percentiles outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
  it('does not reorder its input', () => {
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
  });
});

describe('distribution and ratio', () => {
  it('summarises count, median, p99 and max', () => {
    expect(distribution([2, 4, 6, 8])).toEqual({ count: 4, medianMs: 5, p99Ms: 8, maxMs: 8 });
  });
  it('takes the maximum of more samples than a spread call can pass (e.g. --rounds 300 pooled)', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000);
    values[123_456] = 1e9;
    expect(maxOf(values)).toBe(1e9);
    expect(distribution(values).maxMs).toBe(1e9);
    expect(maxOf([])).toBe(Number.NEGATIVE_INFINITY);
  });
  it('ratio is null when a side is missing, zero or not finite', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(undefined, 2)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
  });
});

describe('isReadyLine', () => {
  it('accepts a bare "ready" line and a pino line whose msg is "ready"', () => {
    expect(isReadyLine('ready')).toBe(true);
    expect(isReadyLine('{"level":30,"time":1,"msg":"ready","guilds":1}')).toBe(true);
  });
  it('refuses other lines', () => {
    expect(isReadyLine('{"level":30,"msg":"ready soon"}')).toBe(false);
    expect(isReadyLine('not ready')).toBe(false);
    expect(isReadyLine('{broken')).toBe(false);
  });
});

describe('textInputIds', () => {
  it('finds text inputs in action rows and in label components', () => {
    const modal = {
      custom_id: 'update:1',
      components: [
        { type: 1, components: [{ type: 4, custom_id: 'a', style: 2 }] },
        { type: 18, label: 'B', component: { type: 4, custom_id: 'b', style: 2 } },
        { type: 10, content: 'text display' },
      ],
    };
    expect(textInputIds(modal)).toEqual(['a', 'b']);
  });
});

describe('updateTextOf', () => {
  it('is what person p types to get block p of the large meeting, with the tag ending the last bullet', () => {
    const meeting = largeMeeting(12);
    for (const p of [3, 10]) {
      const update = parseUpdate(updateTextOf(p, 'run-1'));
      const block = meeting.blocks[p];
      expect(update.references).toEqual(block?.references);
      expect(update.bullets.slice(0, -1)).toEqual(block?.bullets.slice(0, -1));
      expect(update.bullets.at(-1)?.text).toBe(`${block?.bullets.at(-1)?.text ?? ''} (run-1)`);
    }
  });
});

describe('judgeTargets', () => {
  const notes = { people: 1000, bullets: 10, runs: 5, chars: 1, coldRenderMs: 1, renderMs: 20, parseMs: 1, chunksMs: 1 };
  const phase = (p99: number) => ({
    submissions: 1000, acked: 1000, errors: 0, missing: 0, incomplete: 0, lateAcks: 0,
    ack: { count: 1000, medianMs: p99 / 2, p99Ms: p99, maxMs: p99 + 1 },
    complete: { count: 1000, medianMs: 1, p99Ms: 1, maxMs: 1 },
    replies: {}, violations: {}, ackSamplesMs: [],
  });
  const burst = (p99: number) => ({ ...phase(p99), sendWindowMs: 1000, lastAckMs: 1, lastCompleteMs: 1, wallMs: 1, botCpuMs: 1, botMainThreadCpuMs: 1, emulatorCpuMs: 1, otherCpuMs: 0, newConnections: 0 });
  const bare: BotRun = { name: 'bare', rssIdleKiB: 100_000, sequential: phase(10), burst: burst(100) };

  it('passes within the ratios and misses beyond them', () => {
    const scribe: BotRun = {
      name: 'scribe', rssIdleKiB: 130_000, sequential: phase(11), burst: burst(200),
      store: { meetingKey: 'bench/2026-01-01', listed: 1000, verified: 1000, expected: 1000, checkMs: 0 },
    };
    const ratios = { sequentialAckP99: 1.1, burstAckP99: 2, rssIdle: 1.3 };
    const byId = new Map(judgeTargets({ bare, scribe, notes, members: 1000, ratios }).map((t) => [t.id, t.pass]));
    expect(byId.get('sequentialP99')).toBe(true);
    expect(byId.get('burstP99')).toBe(false);
    expect(byId.get('idleMemory')).toBe(false);
    expect(byId.get('burstAll')).toBe(true);
    expect(byId.get('render')).toBe(true);
  });

  it('shows a third decimal where two would show a missed ratio as its target', () => {
    const scribe: BotRun = { name: 'scribe', rssIdleKiB: 120_300, sequential: phase(11.5), burst: burst(100) };
    const ratios = { rssIdle: 1.203, sequentialAckP99: 1.15, burstAckP99: 1.0 };
    const byId = new Map(judgeTargets({ bare, scribe, notes, members: 1000, ratios }).map((t) => [t.id, t]));
    expect(byId.get('idleMemory')).toMatchObject({ value: '1.203×', pass: false });
    expect(byId.get('sequentialP99')).toMatchObject({ value: '1.15×', pass: true });
    expect(byId.get('burstP99')).toMatchObject({ value: '1.00×', pass: true });
  });

  it('a lost update misses the burst target; an unmeasured figure is n/a (null)', () => {
    const scribe: BotRun = { name: 'scribe', burst: burst(200), store: { meetingKey: 'k', listed: 999, verified: 999, expected: 1000, checkMs: 30_000 } };
    const byId = new Map(judgeTargets({ bare, scribe, notes, members: 1000, ratios: {} }).map((t) => [t.id, t.pass]));
    expect(byId.get('burstAll')).toBe(false);
    expect(byId.get('sequentialP99')).toBeNull();
  });
});

describe('medianRun', () => {
  it('picks the run whose figure is the median, the lower middle one for an even count, and nothing from no runs', () => {
    const runs = [{ id: 'a', p99: 9 }, { id: 'b', p99: 3 }, { id: 'c', p99: 5 }];
    expect(medianRun(runs, (r) => r.p99)?.id).toBe('c');
    expect(medianRun([...runs, { id: 'd', p99: 7 }], (r) => r.p99)?.id).toBe('c');
    expect(medianRun([{ id: 'only', p99: 1 }], (r) => r.p99)?.id).toBe('only');
    expect(medianRun([], (r: { p99: number }) => r.p99)).toBeUndefined();
  });
});

describe('pooledAcks', () => {
  const round = (samples: (number | null)[]) => ({
    submissions: samples.length, acked: 0, errors: 0, missing: 0, incomplete: 0, lateAcks: 0,
    ack: { count: 0, medianMs: 0, p99Ms: 0, maxMs: 0 }, complete: { count: 0, medianMs: 0, p99Ms: 0, maxMs: 0 },
    replies: {}, violations: {}, ackSamplesMs: samples,
  });
  it('takes every acknowledgement of every round, skipping the missing ones', () => {
    // Round 1 alone has p99 = 1; pooled with a slow round (199 values) p99 is the 198th smallest: 198.
    const fast = round([...Array.from({ length: 99 }, () => 1), null]);
    const slow = round(Array.from({ length: 100 }, (_, i) => 100 + i));
    const pooled = pooledAcks([fast, slow]);
    expect(pooled?.count).toBe(199);
    expect(pooled?.p99Ms).toBe(198);
    expect(pooled?.maxMs).toBe(199);
    expect(pooledAcks([])).toBeUndefined();
    expect(pooledAcks(undefined)).toBeUndefined();
  });
});

describe('LogFileReader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-logreader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('returns each complete line once, holding a line until its newline and a character split between reads', () => {
    const path = join(dir, 'lines.log');
    writeFileSync(path, '');
    const reader = new LogFileReader(path);
    expect(reader.readLines()).toEqual([]);
    appendFileSync(path, 'one\ntw');
    expect(reader.readLines()).toEqual(['one']);
    const euro = Buffer.from('€', 'utf8');
    appendFileSync(path, Buffer.concat([Buffer.from('o\nthree '), euro.subarray(0, 1)]));
    expect(reader.readLines()).toEqual(['two']);
    appendFileSync(path, Buffer.concat([euro.subarray(1), Buffer.from('\nfour')]));
    expect(reader.readLines()).toEqual(['three €']);
    expect(reader.readLines()).toEqual([]);
    expect(reader.readLines(true)).toEqual(['four']);
    reader.close();
    appendFileSync(path, 'five\n');
    expect(reader.readLines(true)).toEqual([]);
  });
});

describe('BotProcess', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-botprocess-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (body: string): string[] => ['--input-type=module', '-e', body];

  it('sees "ready" in the output file, counts warn lines and stderr lines, and keeps the last lines', async () => {
    const logPath = join(dir, 'ready.log');
    const bot = new BotProcess('fake', script(`
      console.log('starting');
      console.log(JSON.stringify({ level: 40, msg: 'a warning' }));
      setTimeout(() => console.log(JSON.stringify({ level: 30, msg: 'ready' })), 50);
      setTimeout(() => { console.error('oops'); console.log('after ready'); }, 100);
      setInterval(() => undefined, 1000);
    `), { cwd: dir, env: process.env, logPath });
    try {
      const ms = await bot.waitReady(10_000);
      expect(ms).toBeGreaterThan(0);
      await expect.poll(() => bot.problemLines, { timeout: 5000 }).toBe(2);
      await expect.poll(() => bot.tailText(), { timeout: 5000 }).toContain('after ready');
    } finally {
      await bot.stop();
    }
    expect(bot.running).toBe(false);
    expect(bot.tailText()).toMatch(/starting[\s\S]*a warning[\s\S]*after ready/);
  });

  it('fails waitReady with the output, stderr included, when the process exits before it is ready', async () => {
    const bot = new BotProcess('fake', script(`console.log('no config'); console.error('Error: boom'); process.exit(3);`), { cwd: dir, env: process.env, logPath: join(dir, 'exit.log') });
    await expect(bot.waitReady(10_000)).rejects.toThrow(/exited \(code 3\)[\s\S]*no config[\s\S]*\[stderr\] Error: boom/);
    expect(bot.problemLines).toBe(1);
  });

  it('empties a log file left by an earlier run, so its "ready" line does not count', async () => {
    const logPath = join(dir, 'stale.log');
    writeFileSync(logPath, 'ready\n');
    const bot = new BotProcess('fake', script(`setTimeout(() => process.exit(1), 300);`), { cwd: dir, env: process.env, logPath });
    await expect(bot.waitReady(10_000)).rejects.toThrow(/exited \(code 1\)/);
  });

  it('fails waitReady at once when the program cannot be started, and stop() then returns', async () => {
    const bot = new BotProcess('fake', ['-e', ''], { cwd: join(dir, 'no-such-dir'), env: process.env, logPath: join(dir, 'nostart.log') });
    await expect(bot.waitReady(10_000)).rejects.toThrow(/could not be started/);
    expect(bot.running).toBe(false);
    await bot.stop(100);
  });
});

describe('Intl cost', () => {
  it('reads a probe line and refuses one with a reading missing, not a number or not positive', () => {
    expect(parseProbeLine('{"base":80000,"localeList":85000,"cronJob":88000}\n')).toEqual({ base: 80000, localeList: 85000, cronJob: 88000 });
    expect(() => parseProbeLine('{"base":80000,"localeList":85000}')).toThrow(/no cronJob/);
    expect(() => parseProbeLine('{"base":"80000","localeList":85000,"cronJob":88000}')).toThrow(/no base/);
    expect(() => parseProbeLine('{"base":0,"localeList":85000,"cronJob":88000}')).toThrow(/no base/);
    expect(() => parseProbeLine('null')).toThrow(/printed null/);
  });

  it('takes the median of each step\'s growth over the probes', () => {
    const cost = intlCostOf([
      { base: 100, localeList: 150, cronJob: 170 },
      { base: 100, localeList: 190, cronJob: 200 },
      { base: 200, localeList: 240, cronJob: 300 },
    ]);
    expect(cost).toEqual({ runs: 3, localeListKiB: 50, cronJobKiB: 20, totalKiB: 100 });
    expect(() => intlCostOf([])).toThrow();
  });

  it('gives the idle ratio less the Intl cost only when both are known', () => {
    const bare: BotRun = { name: 'bare', rssIdleKiB: 100_000 };
    const scribe: BotRun = { name: 'scribe', rssIdleKiB: 125_000 };
    const intl = { runs: 1, localeListKiB: 5_000, cronJobKiB: 3_000, totalKiB: 8_000 };
    expect(computeRatios(bare, scribe, intl)['rssIdleLessIntl']).toBeCloseTo(1.17, 10);
    expect(computeRatios(bare, scribe)['rssIdleLessIntl']).toBeNull();
    expect(computeRatios(bare, { name: 'scribe' }, intl)['rssIdleLessIntl']).toBeNull();
  });

  it('runs the compiled probe: discord.js loaded, the locale list and a node-cron job each add resident memory', async () => {
    const cost = await measureIntlCost(DIST, 'Europe/Berlin', 1);
    expect(cost.runs).toBe(1);
    expect(cost.localeListKiB).toBeGreaterThan(0);
    expect(cost.cronJobKiB).toBeGreaterThan(0);
    expect(cost.totalKiB).toBe(cost.localeListKiB + cost.cronJobKiB);
  });
});
