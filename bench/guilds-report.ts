/**
 * The many-guilds benchmark's results: their JSON shape, the slope of memory per guild, and the table
 * with the targets of issue 21 judged on them.
 */
import type { OpeningResults } from './guilds-opening.ts';
import { distribution, median, ratio } from './stats.ts';

export interface StartSample {
  /** Spawn → discord.js's ready. */
  readonly readyMs: number;
  /** Scribe: spawn → its "ready" (the schedule armed as well). */
  readonly allReadyMs?: number;
  readonly residentKiB: number;
  readonly problemLines: number;
}

export interface MemoryPoint {
  readonly guilds: number;
  readonly bare: StartSample[];
  readonly scribe: StartSample[];
  error?: string;
}

export interface GuildsResults {
  readonly machine: string;
  readonly revision: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** One-minute load averages: at the start, after each memory point, after the opening. */
  readonly loadAverages: number[];
  readonly starts: number;
  readonly memory: MemoryPoint[];
  readonly opening?: (OpeningResults & { readyMs: number; readyBeforeMinute: boolean; problemLines: number }) | { error: string };
}

const DEADLINE_MS = 3000;

/** Least-squares slope of y on x; NaN for fewer than two distinct x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

const sec = (ms: number | undefined): string => (ms === undefined || !Number.isFinite(ms) ? '—' : `${(ms / 1000).toFixed(1)} s`);
const msText = (ms: number | undefined): string => (ms === undefined || !Number.isFinite(ms) ? '—' : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const mib = (kib: number | undefined): string => (kib === undefined || !Number.isFinite(kib) ? '—' : `${(kib / 1024).toFixed(1)} MiB`);
const times = (r: number | null): string => (r === null ? '—' : `${r.toFixed(2)}×`);
const verdict = (ok: boolean | null): string => (ok === null ? 'n/a' : ok ? 'met' : 'MISSED');

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatGuildsReport(r: GuildsResults): string {
  const rows: string[][] = [['', 'bare', 'scribe', 'scribe÷bare', 'target', '']];
  const add = (...cells: string[]): void => void rows.push(cells);
  const med = (samples: readonly StartSample[], key: 'readyMs' | 'allReadyMs' | 'residentKiB'): number =>
    median(samples.flatMap((s) => (s[key] === undefined ? [] : [s[key]])));
  const ok = r.memory.filter((p) => p.error === undefined && p.bare.length > 0 && p.scribe.length > 0);
  for (const p of ok) {
    const [bReady, sReady, bMem, sMem] = [med(p.bare, 'readyMs'), med(p.scribe, 'readyMs'), med(p.bare, 'residentKiB'), med(p.scribe, 'residentKiB')];
    const largest = p === ok.at(-1);
    const rReady = ratio(sReady, bReady);
    const rMem = ratio(sMem, bMem);
    add(
      `${p.guilds} guilds: start → discord.js ready`,
      msText(bReady),
      msText(sReady),
      times(rReady),
      largest ? '≤ 1.3×' : '',
      largest ? verdict(rReady === null ? null : rReady <= 1.3) : '',
    );
    add(
      `${p.guilds} guilds: start → Scribe's "ready" (schedule armed)`,
      '',
      msText(med(p.scribe, 'allReadyMs')),
      times(ratio(med(p.scribe, 'allReadyMs'), bReady)),
    );
    add(
      `${p.guilds} guilds: memory 10 s after ready`,
      mib(bMem),
      mib(sMem),
      times(rMem),
      largest ? '≤ 1.3×' : '',
      largest ? verdict(rMem === null ? null : rMem <= 1.3) : '',
    );
  }
  if (ok.length >= 2) {
    const per = (bot: 'bare' | 'scribe') => slope(ok.map((p) => ({ x: p.guilds, y: med(p[bot], 'residentKiB') })));
    add(
      'memory per additional guild (least squares)',
      `${per('bare').toFixed(1)} KiB`,
      `${per('scribe').toFixed(1)} KiB`,
      times(ratio(per('scribe'), per('bare'))),
    );
  }
  for (const p of r.memory.filter((m) => m.error !== undefined)) add(`${p.guilds} guilds FAILED: ${p.error ?? ''}`);

  const o = r.opening;
  if (o !== undefined && 'error' in o) add(`opening FAILED: ${o.error}`);
  else if (o !== undefined) {
    const label = `${o.guilds} openings at one minute`;
    add(`${label}: Scribe ready before the minute`, '', o.readyBeforeMinute ? `yes (${msText(o.readyMs)})` : `NO (${msText(o.readyMs)})`);
    add(
      `${label}: last thread / last welcome`,
      '',
      `${sec(o.threadAt.maxMs)} / ${sec(o.welcomeAt.maxMs)}`,
      `floor ${sec(o.floorMs)}`,
      '≤ 120 s',
      verdict(o.welcomeAt.count === o.guilds && o.welcomeAt.maxMs <= 120_000),
    );
    add(`${label}: median thread / welcome`, '', `${sec(o.threadAt.medianMs)} / ${sec(o.welcomeAt.medianMs)}`);
    add(
      `${label}: one thread and one welcome`,
      '',
      `${o.openedOnce} of ${o.guilds} (none: ${o.withoutThread}, no welcome: ${o.withoutWelcome}, twice: ${o.twice})`,
      '',
      'all',
      verdict(o.openedOnce === o.guilds),
    );
    const u = o.updates;
    const acked = u.filter((x) => x.accepted && x.ackMs !== null && x.ackMs <= DEADLINE_MS).length;
    const saved = u.filter((x) => x.text?.startsWith('Saved') === true).length;
    const stored = u.filter((x) => x.stored).length;
    const opening = u.filter((x) => x.text?.includes('still opening') === true).length;
    add(
      `/update during it: acked ≤ 3 s / Saved / stored`,
      '',
      `${acked} / ${saved} / ${stored} of ${u.length}`,
      '',
      'all',
      verdict(u.length > 0 && acked === u.length && saved === u.length && stored === u.length),
    );
    add(`/update during it: "still opening" answers`, '', String(opening));
    const other = u.find((x) => x.text !== null && !x.text.startsWith('Saved'))?.text ?? undefined;
    if (other !== undefined) add(`/update during it: another answer`, '', other.slice(0, 80));
    const ack = distribution(u.flatMap((x) => (x.ackMs === null ? [] : [x.ackMs])));
    const save = distribution(u.flatMap((x) => (x.savedMs === null ? [] : [x.savedMs])));
    add(`/update during it: ack median / p99 / max`, '', `${msText(ack.medianMs)} / ${msText(ack.p99Ms)} / ${msText(ack.maxMs)}`);
    add(`/update during it: Saved median / p99 / max`, '', `${msText(save.medianMs)} / ${msText(save.p99Ms)} / ${msText(save.maxMs)}`);
    const routes = Object.entries(o.requestsByRoute).sort((a, b) => b[1] - a[1]);
    add(`requests from the minute on`, '', routes.map(([route, n]) => `${route}: ${n}`).join('; '));
    add(`429s / violations`, '', `${o.rateLimited} / ${JSON.stringify(o.violations)}`);
    add('log lines at warn or above', '', String(o.problemLines));
  }
  const load = r.loadAverages.map((l) => l.toFixed(1)).join(', ');
  const head = `Scribe many-guilds benchmark: ${r.machine}; commit ${r.revision}; medians of ${r.starts} start(s); load average ${load}; ${sec(r.durationMs)}`;
  return `${head}\n\n${table(rows)}\n`;
}
