/**
 * The benchmark's results: their JSON shape, the targets of issue 19 judged on them, and the table.
 */
import type { Outcome } from './drive.ts';
import type { NotesCost } from './notes-cost.ts';
import { distribution, medianRun, ratio, type Distribution } from './stats.ts';

/** One phase (100 sequential submissions, or the burst) of one round. */
export interface PhaseStats {
  readonly submissions: number;
  /** Acknowledged, and the emulator accepted the acknowledgement. */
  readonly acked: number;
  /** Answered with the bot's success text ("Saved." for Scribe). */
  readonly saved: number;
  readonly ack: Distribution;
  readonly save: Distribution;
  /** The first answer that was not a success, to tell what went wrong. */
  readonly otherAnswer?: string;
  /** Burst only, Scribe only: members whose stored update is this burst's text. */
  stored?: number;
}

export interface BotRun {
  readonly name: 'bare' | 'scribe';
  /** The failure that ended this bot's run; the figures before it are kept. */
  error?: string;
  /** Medians over the starts. */
  startToReadyMs?: number;
  idleKiB?: number;
  idleSamplesKiB?: number[];
  /** Every round, in order. */
  sequential: PhaseStats[];
  burst: PhaseStats[];
  /** /summary of the burst's meeting: INTERACTION_CREATE → the reply's final text. */
  summaryMs?: number;
  summaryText?: string;
  /** Log lines at warn or above. */
  problemLines?: number;
}

export interface Target {
  readonly name: string;
  readonly value: string;
  readonly target: string;
  /** null: not measured (a bot failed before this figure). */
  readonly pass: boolean | null;
}

export interface BenchResults {
  readonly machine: string;
  readonly revision: string;
  readonly startedAt: string;
  durationMs: number;
  readonly store: string;
  readonly members: number;
  readonly sequentialCount: number;
  readonly windowMs: number;
  readonly rounds: number;
  readonly notes: NotesCost | { error: string };
  readonly bare: BotRun;
  readonly scribe: BotRun;
  targets: Target[];
}

const DEADLINE_MS = 3000;

/** `okText` tells a success answer from an error message. */
export function summarise(outcomes: readonly Outcome[], okText: RegExp): PhaseStats {
  const numbers = (values: readonly (number | null)[]): number[] => values.filter((v): v is number => v !== null);
  const other = outcomes.find((o) => o.text !== null && !okText.test(o.text))?.text ?? undefined;
  return {
    ...(other === undefined ? {} : { otherAnswer: other.slice(0, 200) }),
    submissions: outcomes.length,
    acked: outcomes.filter((o) => o.accepted).length,
    saved: outcomes.filter((o) => o.text !== null && okText.test(o.text)).length,
    ack: distribution(numbers(outcomes.map((o) => o.ackMs))),
    save: distribution(numbers(outcomes.map((o) => o.savedMs))),
  };
}

/** The round whose acknowledgement p99 is the median of the rounds': every figure shown comes from one round. */
export const medianRound = (rounds: readonly PhaseStats[]): PhaseStats | undefined => medianRun(rounds, (p) => p.ack.p99Ms);

const worst = (rounds: readonly PhaseStats[], key: (p: PhaseStats) => number): number =>
  rounds.reduce((max, p) => Math.max(max, key(p)), Number.NEGATIVE_INFINITY);

function ratioTarget(name: string, scribe: number | undefined, bare: number | undefined, limit: number): Target {
  const r = ratio(scribe, bare);
  return { name, value: r === null ? '—' : `${r.toFixed(2)}×`, target: `≤ ${limit}× bare`, pass: r === null ? null : r <= limit };
}

export function judgeTargets(r: Pick<BenchResults, 'bare' | 'scribe' | 'members'>): Target[] {
  const { bare, scribe, members } = r;
  const b = scribe.burst;
  const all = (p: PhaseStats): boolean => p.acked === p.submissions && p.saved === p.submissions && p.stored === p.submissions;
  const late = worst(b, (p) => Math.max(p.ack.maxMs, p.save.maxMs));
  const burstAll: Target = {
    name: `${members} in 1 s: all acked and Saved within 3 s, none lost`,
    value: b.length === 0 ? '—' : `${b.filter(all).length}/${b.length} rounds complete, slowest ${late.toFixed(0)} ms`,
    target: 'every round',
    pass: b.length === 0 ? null : b.every(all) && late <= DEADLINE_MS,
  };
  return [
    ratioTarget('ack p99, one at a time', medianRound(scribe.sequential)?.ack.p99Ms, medianRound(bare.sequential)?.ack.p99Ms, 1.15),
    burstAll,
    ratioTarget(`ack p99, ${members} in 1 s`, medianRound(scribe.burst)?.ack.p99Ms, medianRound(bare.burst)?.ack.p99Ms, 2),
    ratioTarget('idle memory', scribe.idleKiB, bare.idleKiB, 1.3),
  ];
}

// ---- the table ------------------------------------------------------------------------------------------

const ms = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const mib = (kib: number | undefined): string => (kib === undefined ? '—' : `${(kib / 1024).toFixed(1)} MiB`);
const pass = (t: Target | undefined): string => (t?.pass === true ? 'PASS' : t?.pass === false ? 'MISS' : 'n/a');

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

export function formatReport(r: BenchResults): string {
  const { bare, scribe: s } = r;
  const [seqTarget, burstAll, burstTarget, memTarget] = r.targets;
  const rows: string[][] = [['', 'bare', 'scribe', 'scribe÷bare', 'target', '']];
  const add = (name: string, a: string, b: string, rat = '', target = '', verdict = ''): void => void rows.push([name, a, b, rat, target, verdict]);
  const x = (a: number | undefined, b: number | undefined): string => (ratio(b, a) === null ? '—' : `${(ratio(b, a) ?? 0).toFixed(2)}×`);
  add('start → ready', ms(bare.startToReadyMs), ms(s.startToReadyMs), x(bare.startToReadyMs, s.startToReadyMs));
  add('idle memory, 12 s after ready', mib(bare.idleKiB), mib(s.idleKiB), memTarget?.value, memTarget?.target, pass(memTarget));
  for (const [phase, label] of [
    ['sequential', `${r.sequentialCount} one at a time`],
    ['burst', `${r.members} in ${r.windowMs} ms`],
  ] as const) {
    const pa = medianRound(bare[phase]);
    const pb = medianRound(s[phase]);
    const judged = phase === 'sequential' ? seqTarget : burstTarget;
    add(`${label}: ack median`, ms(pa?.ack.medianMs), ms(pb?.ack.medianMs), x(pa?.ack.medianMs, pb?.ack.medianMs));
    add(`${label}: ack p99`, ms(pa?.ack.p99Ms), ms(pb?.ack.p99Ms), judged?.value, judged?.target, pass(judged));
    if (r.rounds > 1) {
      const each = (rounds: readonly PhaseStats[]): string => rounds.map((p) => p.ack.p99Ms.toFixed(1)).join(' / ');
      add('  ack p99 of each round', each(bare[phase]), each(s[phase]));
    }
    add(`${label}: Saved p99 / max`, pa ? `${ms(pa.save.p99Ms)} / ${ms(pa.save.maxMs)}` : '—', pb ? `${ms(pb.save.p99Ms)} / ${ms(pb.save.maxMs)}` : '—');
  }
  const counts = s.burst.map((p) => `${p.acked}/${p.saved}/${p.stored ?? '?'}`).join(', ') || '—';
  add(`burst: acked/Saved/stored of ${r.members}`, '', counts, '', burstAll?.target, pass(burstAll));
  add('burst: slowest ack or Saved', '', burstAll?.value ?? '—');
  const posted = s.summaryText?.startsWith('Posted') === true ? '' : ` (answer: ${(s.summaryText ?? '').slice(0, 60)})`;
  add(`/summary of ${r.members} × 10`, '', s.summaryMs === undefined ? '—' : `${ms(s.summaryMs)}${posted}`);
  if ('renderMs' in r.notes) {
    add(`notes ${r.notes.people} × ${r.notes.bullets}: render / parse`, `${ms(r.notes.renderMs)} / ${ms(r.notes.parseMs)}`, '');
  }
  add('log lines at warn or above', String(bare.problemLines ?? '—'), String(s.problemLines ?? '—'));
  const head = `Scribe benchmark: ${r.machine}; commit ${r.revision}; store ${r.store}; ${r.rounds} round(s), the median one shown; ${(r.durationMs / 1000).toFixed(0)} s`;
  const errors = [bare, s].filter((b) => b.error !== undefined).map((b) => `\n${b.name} FAILED: ${b.error ?? ''}`);
  const notesError = 'error' in r.notes ? `\nnotes FAILED: ${r.notes.error}` : '';
  return `${head}\n\n${table(rows)}\n${errors.join('')}${notesError}\n`;
}
