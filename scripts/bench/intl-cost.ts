/**
 * What the first use of Intl costs in resident memory (see intl-probe.ts): part of Scribe's idle memory
 * that the bare bot never pays, measured apart so that the report can say how much of the idle ratio it is.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { median } from './stats.ts';

/** One probe process's VmRSS readings, KiB. */
export interface IntlProbeReading {
  /** After importing discord.js. */
  readonly base: number;
  /** After V8 built its list of the locales ICU has data for (what any Intl constructor does first). */
  readonly localeList: number;
  /** After node-cron was imported and one job scheduled in a time zone. */
  readonly cronJob: number;
}

/** Medians over the probe processes, KiB. */
export interface IntlCost {
  readonly runs: number;
  readonly localeListKiB: number;
  readonly cronJobKiB: number;
  /** Both steps: what a process that schedules in a time zone carries and one that never uses Intl does not. */
  readonly totalKiB: number;
}

export function parseProbeLine(line: string): IntlProbeReading {
  const value: unknown = JSON.parse(line);
  if (typeof value !== 'object' || value === null) throw new Error(`the Intl probe printed ${line.trim() || 'nothing'}`);
  const field = (name: keyof IntlProbeReading): number => {
    const v: unknown = (value as Record<string, unknown>)[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`the Intl probe printed no ${name}: ${line.trim()}`);
    return v;
  };
  return { base: field('base'), localeList: field('localeList'), cronJob: field('cronJob') };
}

export function intlCostOf(readings: readonly IntlProbeReading[]): IntlCost {
  if (readings.length === 0) throw new Error('no Intl probe readings');
  return {
    runs: readings.length,
    localeListKiB: median(readings.map((r) => r.localeList - r.base)),
    cronJobKiB: median(readings.map((r) => r.cronJob - r.localeList)),
    totalKiB: median(readings.map((r) => r.cronJob - r.base)),
  };
}

/** Runs the compiled probe `runs` times, one process after the other, in the series' time zone. */
export async function measureIntlCost(dist: string, timeZone: string, runs = 5): Promise<IntlCost> {
  const probe = join(dist, 'scripts/bench/intl-probe.js');
  // Without a loader the bench itself may run under.
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const readings: IntlProbeReading[] = [];
  for (let i = 0; i < runs; i += 1) {
    const { stdout } = await promisify(execFile)(process.execPath, [probe, timeZone], { env, timeout: 30_000 });
    readings.push(parseProbeLine(stdout));
  }
  return intlCostOf(readings);
}
