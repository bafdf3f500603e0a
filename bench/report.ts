/**
 * The benchmark's results: their JSON shape, the issue's targets judged on them, and the table printed.
 */
import type { BurstStats, PhaseStats } from './drive.ts';
import type { IntlCost } from './intl-cost.ts';
import type { NotesCost } from './notes-cost.ts';
import { distribution, ratio, type Distribution } from './stats.ts';
import type { SummaryTiming } from './summary.ts';

export interface StoreCheck {
  readonly meetingKey: string;
  /** Updates listed for the meeting. */
  readonly listed: number;
  /** Burst members whose stored update is this run's burst text. */
  readonly verified: number;
  readonly expected: number;
  /** How long after the burst's last reply the count was final (re-read while writes were still landing). */
  readonly checkMs: number;
}

export interface BotRun {
  readonly name: 'bare' | 'scribe';
  /** Not run (--only). */
  skipped?: boolean;
  /** The first failure that ended this bot's run; the figures before it are kept. */
  error?: string;
  /** How the commands were registered. */
  commands?: string;
  meetingStartReply?: string;
  /** Where /update, the modals and /summary were used. */
  interactionChannel?: string;
  /** Medians over the bot's starts (each reading in the samples). */
  startToReadyMs?: number;
  /** Idle and settled: 12 s after ready (the target's figure). */
  rssIdleKiB?: number;
  /** 2 s after ready. */
  rssEarlyKiB?: number;
  /** The private part of the settled figure (RssAnon). */
  rssAnonIdleKiB?: number;
  startToReadySamplesMs?: number[];
  rssIdleSamplesKiB?: number[];
  rssEarlySamplesKiB?: number[];
  rssAnonIdleSamplesKiB?: number[];
  rssAfterUpdatesKiB?: number;
  /** The same 12 s after the last submission. */
  rssSettledAfterUpdatesKiB?: number;
  /** The round with the median ack p99 of `sequentialRounds` (every figure of it from that one round). */
  sequential?: PhaseStats;
  /** The round with the median ack p99 of `burstRounds`. */
  burst?: BurstStats;
  /** Every round, in order: latency percentiles of one run vary a lot on 2 shared cores. */
  sequentialRounds?: PhaseStats[];
  burstRounds?: BurstStats[];
  /** Every acknowledgement of every round together (see pooledAcks). */
  sequentialPooled?: Distribution;
  burstPooled?: Distribution;
  /** The same for the bursts after the first: the first after start-up is also V8's first compile of the burst's code. */
  laterBurstsPooled?: Distribution;
  /** Bursts run in all: a round is run again when other processes disturbed it. */
  burstAttempts?: number;
  store?: StoreCheck;
  /** The same count after /summary and a graceful stop of the bot. */
  storeAtEnd?: StoreCheck;
  summary?: SummaryTiming;
  /**
   * CPU used by other processes while the updates were measured (the higher of: warm-up with the
   * sequential submissions, and the reported burst), as a share of one core; above 0.1 the report warns.
   */
  otherLoad?: number;
  /** Log lines at warn or above, and stderr lines. */
  problemLines?: number;
}

export type TargetId = 'sequentialP99' | 'burstP99' | 'burstAll' | 'idleMemory' | 'render';

export interface Target {
  readonly id: TargetId;
  readonly name: string;
  readonly value: string;
  readonly target: string;
  /** null: not measured (the bot failed before this figure). */
  readonly pass: boolean | null;
}

export interface BenchResults {
  readonly machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  readonly startedAt: string;
  /** Git commit of the tree measured. */
  readonly revision: string;
  durationMs: number;
  readonly store: string;
  readonly members: number;
  readonly sequentialCount: number;
  readonly burstWindowMs: number;
  /** Rounds of (sequential, burst) per bot. */
  readonly rounds: number;
  readonly notes: NotesCost | { error: string };
  /** What the first use of Intl costs, measured in processes of its own (scripts/bench/intl-probe.ts). */
  readonly intl: IntlCost | { error: string };
  readonly bare: BotRun;
  readonly scribe: BotRun;
  ratios: Record<string, number | null>;
  targets: Target[];
}

const ACK_RATIO_TARGET = 1.15;
const MEMORY_RATIO_TARGET = 1.2;
const RENDER_TARGET_MS = 50;
const ACK_DEADLINE_MS = 3000;
/** Share of a core used by other processes while a bot is measured, above which the report warns. */
const OTHER_LOAD_WARNING = 0.1;

/**
 * Every acknowledgement of every round together: one round's p99 is its 2nd-largest of 100 (sequential)
 * or 10th-largest of 1,000 values and moves a lot between rounds on two shared cores; the pool is steadier
 * and, unlike the median round, includes the first burst after start-up.
 */
export function pooledAcks(rounds: readonly PhaseStats[] | undefined): Distribution | undefined {
  if (!rounds || rounds.length === 0) return undefined;
  return distribution(rounds.flatMap((round) => round.ackSamplesMs.filter((ms): ms is number => ms !== null)));
}

/** Scribe's idle memory less what the first use of Intl costs: for reference, not judged. */
function idleLessIntlKiB(s: BotRun, intl: IntlCost | undefined): number | undefined {
  return s.rssIdleKiB === undefined || intl === undefined ? undefined : s.rssIdleKiB - intl.totalKiB;
}

/** `intl`, when measured, gives one more figure: idleLessIntlKiB against the bare bot's idle memory. */
export function computeRatios(bare: BotRun, s: BotRun, intl?: IntlCost): Record<string, number | null> {
  return {
    sequentialAckP99Pooled: ratio(s.sequentialPooled?.p99Ms, bare.sequentialPooled?.p99Ms),
    burstAckP99Pooled: ratio(s.burstPooled?.p99Ms, bare.burstPooled?.p99Ms),
    laterBurstsAckP99Pooled: ratio(s.laterBurstsPooled?.p99Ms, bare.laterBurstsPooled?.p99Ms),
    sequentialAckMedian: ratio(s.sequential?.ack.medianMs, bare.sequential?.ack.medianMs),
    sequentialAckP99: ratio(s.sequential?.ack.p99Ms, bare.sequential?.ack.p99Ms),
    sequentialAckMax: ratio(s.sequential?.ack.maxMs, bare.sequential?.ack.maxMs),
    burstAckMedian: ratio(s.burst?.ack.medianMs, bare.burst?.ack.medianMs),
    burstAckP99: ratio(s.burst?.ack.p99Ms, bare.burst?.ack.p99Ms),
    burstAckMax: ratio(s.burst?.ack.maxMs, bare.burst?.ack.maxMs),
    // The bare bot's acknowledgement is its final reply; Scribe's final reply is "Saved", after the write.
    sequentialCompleteP99: ratio(s.sequential?.complete.p99Ms, bare.sequential?.complete.p99Ms),
    burstCompleteP99: ratio(s.burst?.complete.p99Ms, bare.burst?.complete.p99Ms),
    rssIdle: ratio(s.rssIdleKiB, bare.rssIdleKiB),
    rssEarly: ratio(s.rssEarlyKiB, bare.rssEarlyKiB),
    rssAnonIdle: ratio(s.rssAnonIdleKiB, bare.rssAnonIdleKiB),
    rssIdleLessIntl: ratio(idleLessIntlKiB(s, intl), bare.rssIdleKiB),
    rssAfterUpdates: ratio(s.rssAfterUpdatesKiB, bare.rssAfterUpdatesKiB),
    rssSettledAfterUpdates: ratio(s.rssSettledAfterUpdatesKiB, bare.rssSettledAfterUpdatesKiB),
    startToReady: ratio(s.startToReadyMs, bare.startToReadyMs),
  };
}

/** Two decimals; three where two would show a judged ratio as its target (1.203× must not read "1.20×: missed"). */
function fmtRatio(r: number | null | undefined, target?: number): string {
  if (r === null || r === undefined) return '—';
  const digits = target !== undefined && r !== target && r.toFixed(2) === target.toFixed(2) ? 3 : 2;
  return `${r.toFixed(digits)}×`;
}

export function judgeTargets(results: Pick<BenchResults, 'bare' | 'scribe' | 'notes' | 'members' | 'ratios'>): Target[] {
  const { scribe, ratios, notes, members } = results;
  const targets: Target[] = [];
  const within = (r: number | null, limit: number): boolean | null => (r === null ? null : r <= limit);
  targets.push({ id: 'sequentialP99', name: 'p99 ack, sequential', value: fmtRatio(ratios['sequentialAckP99'], ACK_RATIO_TARGET), target: `≤ ${ACK_RATIO_TARGET}× bare`, pass: within(ratios['sequentialAckP99'] ?? null, ACK_RATIO_TARGET) });
  targets.push({ id: 'burstP99', name: `p99 ack, ${members} burst`, value: fmtRatio(ratios['burstAckP99'], ACK_RATIO_TARGET), target: `≤ ${ACK_RATIO_TARGET}× bare`, pass: within(ratios['burstAckP99'] ?? null, ACK_RATIO_TARGET) });
  const b = scribe.burst;
  const st = scribe.store;
  let burstPass: boolean | null = null;
  let burstValue = '—';
  if (b) {
    const end = scribe.storeAtEnd;
    const stored = st ? `${st.verified}/${st.expected} stored${end ? ` (${end.verified} at the end)` : ''}` : 'store not checked';
    burstValue = `${b.acked}/${b.submissions} acked, max ${b.ack.maxMs.toFixed(0)} ms, ${b.errors} errors, ${stored}`;
    burstPass = b.acked === b.submissions && b.missing === 0 && b.errors === 0 && b.lateAcks === 0 && b.ack.maxMs <= ACK_DEADLINE_MS && st !== undefined && st.verified === st.expected && (end === undefined || end.verified === end.expected);
  }
  targets.push({ id: 'burstAll', name: `all ${members} burst acked within 3 s, none lost`, value: burstValue, target: 'all, none lost', pass: burstPass });
  targets.push({ id: 'idleMemory', name: 'idle memory', value: fmtRatio(ratios['rssIdle'], MEMORY_RATIO_TARGET), target: `≤ ${MEMORY_RATIO_TARGET}× bare`, pass: within(ratios['rssIdle'] ?? null, MEMORY_RATIO_TARGET) });
  if ('renderMs' in notes) {
    targets.push({ id: 'render', name: `render ${notes.people}×${notes.bullets}`, value: `${notes.renderMs.toFixed(1)} ms`, target: `< ${RENDER_TARGET_MS} ms`, pass: notes.renderMs < RENDER_TARGET_MS });
  } else {
    targets.push({ id: 'render', name: 'render', value: '—', target: `< ${RENDER_TARGET_MS} ms`, pass: null });
  }
  return targets;
}

// ---- the table ------------------------------------------------------------------------------------------

const ms = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const mib = (kib: number | undefined): string => (kib === undefined ? '—' : `${(kib / 1024).toFixed(1)} MiB`);
const passText = (p: boolean | null | undefined): string => (p === true ? 'PASS' : p === false ? 'MISS' : p === null ? 'n/a' : '');

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)).join('  ').trimEnd()).join('\n');
}

function roundsText(rounds: readonly PhaseStats[] | undefined): string {
  return rounds && rounds.length > 0 ? rounds.map((p) => p.ack.p99Ms.toFixed(1)).join(' / ') + ' ms' : '—';
}

function counts(p: PhaseStats | undefined): string {
  if (!p) return '—';
  return `${p.acked}/${p.submissions} acked, ${p.errors} err, ${p.missing} missing${p.incomplete > 0 ? `, ${p.incomplete} unfinished` : ''}${p.lateAcks > 0 ? `, ${p.lateAcks} late` : ''}`;
}

export function formatReport(r: BenchResults): string {
  const { bare } = r;
  const s = r.scribe;
  const t = (id: TargetId): Target | undefined => r.targets.find((x) => x.id === id);
  const rows: string[][] = [['figure', 'bare', 'scribe', 'scribe÷bare', 'target', '']];
  const add = (name: string, a: string, b: string, rat: string, target = '', pass = ''): void => void rows.push([name, a, b, rat, target, pass]);
  add('start → ready', ms(bare.startToReadyMs), ms(s.startToReadyMs), fmtRatio(r.ratios['startToReady']));
  const each = (samples: readonly number[] | undefined): string => (samples && samples.length > 0 ? `${samples.map((k) => (k / 1024).toFixed(1)).join(' / ')} MiB` : '—');
  add('RSS 2 s after ready', mib(bare.rssEarlyKiB), mib(s.rssEarlyKiB), fmtRatio(r.ratios['rssEarly']));
  add('  at each start', each(bare.rssEarlySamplesKiB), each(s.rssEarlySamplesKiB), '');
  add('RSS idle, 12 s after ready', mib(bare.rssIdleKiB), mib(s.rssIdleKiB), t('idleMemory')?.value ?? '—', '≤ 1.2×', passText(t('idleMemory')?.pass));
  add('  at each start', each(bare.rssIdleSamplesKiB), each(s.rssIdleSamplesKiB), '');
  if ('totalKiB' in r.intl) {
    const { intl } = r;
    add(`  Intl's first use, in probes of its own (median of ${intl.runs})`, '', `${mib(intl.totalKiB)} (locale list ${mib(intl.localeListKiB)}, node-cron job ${mib(intl.cronJobKiB)})`, '');
    add(`  idle less Intl's first use (not judged)`, '', mib(idleLessIntlKiB(s, intl)), fmtRatio(r.ratios['rssIdleLessIntl']));
  }
  add('  private part (RssAnon)', mib(bare.rssAnonIdleKiB), mib(s.rssAnonIdleKiB), fmtRatio(r.ratios['rssAnonIdle']));
  add(`RSS 1 s after the last submission`, mib(bare.rssAfterUpdatesKiB), mib(s.rssAfterUpdatesKiB), fmtRatio(r.ratios['rssAfterUpdates']));
  add(`RSS 12 s after the last submission`, mib(bare.rssSettledAfterUpdatesKiB), mib(s.rssSettledAfterUpdatesKiB), fmtRatio(r.ratios['rssSettledAfterUpdates']));
  for (const [phase, label] of [['sequential', `${r.sequentialCount} sequential`], ['burst', `${r.members} in ${r.burstWindowMs} ms`]] as const) {
    const key = phase === 'sequential' ? 'sequentialAck' : 'burstAck';
    const pa = bare[phase];
    const pb = s[phase];
    add(`ack ${label}: median`, ms(pa?.ack.medianMs), ms(pb?.ack.medianMs), fmtRatio(r.ratios[`${key}Median`]));
    const judged = t(phase === 'sequential' ? 'sequentialP99' : 'burstP99');
    add(`ack ${label}: p99`, ms(pa?.ack.p99Ms), ms(pb?.ack.p99Ms), judged?.value ?? '—', '≤ 1.15×', passText(judged?.pass));
    const rounds = phase === 'sequential' ? 'sequentialRounds' : 'burstRounds';
    add(`  p99 of each round`, roundsText(bare[rounds]), roundsText(s[rounds]), '');
    const pooled = phase === 'sequential' ? 'sequentialPooled' : 'burstPooled';
    const pooledText = (d: Distribution | undefined): string => (d ? `${ms(d.p99Ms)} (${d.count} acks)` : '—');
    add(`  p99 of all rounds pooled`, pooledText(bare[pooled]), pooledText(s[pooled]), fmtRatio(r.ratios[`${key}P99Pooled`]));
    if (phase === 'burst' && r.rounds > 1) {
      add(`  p99 of the bursts after the first, pooled`, pooledText(bare.laterBurstsPooled), pooledText(s.laterBurstsPooled), fmtRatio(r.ratios['laterBurstsAckP99Pooled']));
    }
    add(`ack ${label}: max`, ms(pa?.ack.maxMs), ms(pb?.ack.maxMs), fmtRatio(r.ratios[`${key}Max`]));
    add(`reply complete ${label}: p99`, ms(pa?.complete.p99Ms), ms(pb?.complete.p99Ms), fmtRatio(r.ratios[phase === 'sequential' ? 'sequentialCompleteP99' : 'burstCompleteP99']));
    add(`  ${phase} counts`, counts(pa), counts(pb), '');
  }
  add('burst: send window / last ack', bare.burst ? `${ms(bare.burst.sendWindowMs)} / ${ms(bare.burst.lastAckMs)}` : '—', s.burst ? `${ms(s.burst.sendWindowMs)} / ${ms(s.burst.lastAckMs)}` : '—', '');
  const pct = (part: number, b: BurstStats): string => `${((part / b.wallMs) * 100).toFixed(0)}%`;
  const cpu = (b: BurstStats | undefined): string => (b ? `${pct(b.botCpuMs, b)} / ${pct(b.emulatorCpuMs, b)} / ${pct(b.otherCpuMs, b)} of ${ms(b.wallMs)}` : '—');
  add('burst CPU: bot / emulator / other', cpu(bare.burst), cpu(s.burst), '');
  const threads = (rounds: readonly BurstStats[] | undefined): string =>
    rounds && rounds.length > 0 ? rounds.map((b) => `${b.botMainThreadCpuMs.toFixed(0)}+${(b.botCpuMs - b.botMainThreadCpuMs).toFixed(0)}`).join(' / ') + ' ms' : '—';
  add('burst: bot CPU, main + other threads, each round', threads(bare.burstRounds), threads(s.burstRounds), '');
  const connections = (rounds: readonly BurstStats[] | undefined): string => (rounds && rounds.length > 0 ? rounds.map((b) => String(b.newConnections)).join(' / ') : '—');
  add('burst: connections opened, each round', connections(bare.burstRounds), connections(s.burstRounds), '');
  add('burst: verified in store', '', s.store ? `${s.store.verified}/${s.store.expected} (final ${ms(s.store.checkMs)} after the burst)` : '—', '', 'all acked < 3 s, none lost', passText(t('burstAll')?.pass));
  add('  verified after /summary and stop', '', s.storeAtEnd ? `${s.storeAtEnd.verified}/${s.storeAtEnd.expected}` : '—', '');
  add(`/summary ${r.members}×10`, '', s.summary ? `${ms(s.summary.totalMs)} (${s.summary.posts} posts, ${s.summary.blocks} blocks)` : '—', '');
  if ('renderMs' in r.notes) {
    add(`render ${r.notes.people}×${r.notes.bullets} (median of ${r.notes.runs})`, ms(r.notes.renderMs), '', '', '< 50 ms', passText(t('render')?.pass));
    add(`parse ${r.notes.people}×${r.notes.bullets}`, ms(r.notes.parseMs), '', '');
    add('renderChunks (2,000 chars)', ms(r.notes.chunksMs), '', '');
  }
  const m = r.machine;
  const head = `Scribe benchmark: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}, ${m.os}; commit ${r.revision}; store ${r.store}; ${r.rounds} rounds, the median one shown; ${(r.durationMs / 1000).toFixed(0)} s`;
  const errors = [bare, s].filter((b) => b.error).map((b) => `\n${b.name} FAILED: ${b.error ?? ''}`);
  const skipped = [bare, s].filter((b) => b.skipped).map((b) => `\n${b.name}: not run (--only)`);
  const notesError = 'error' in r.notes ? `\nnotes bench FAILED: ${r.notes.error}` : '';
  const intlError = 'error' in r.intl ? `\nIntl probe FAILED: ${r.intl.error}` : '';
  const busy = [bare, s].flatMap((b) =>
    b.otherLoad !== undefined && b.otherLoad > OTHER_LOAD_WARNING ? [`${(b.otherLoad * 100).toFixed(0)}% of a core while ${b.name} was measured`] : [],
  );
  const warning = busy.length > 0 ? `\nWARNING: other processes used ${busy.join(' and ')}; the figures are skewed: run again on an idle machine.` : '';
  return `${head}\n\n${table(rows)}\n${errors.join('')}${skipped.join('')}${notesError}${intlError}${warning}\n`;
}
