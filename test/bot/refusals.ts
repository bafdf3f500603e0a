/**
 * What an end-to-end test allows the emulator to have recorded: every violation (a request Discord would
 * refuse or penalise: 4xx answers such as 50013, 50083, a 429 from a rate limit, a late or missing
 * acknowledgement) must have been declared by the test as provoked on purpose, and every declared one
 * must have happened. The harnesses check this when they close, so no test can forget to.
 */
import type { Emulator } from '../emulator/index.ts';
import type { Violation } from '../emulator/core.ts';

export interface ExpectedRefusal {
  /** The violation's kind, e.g. 'missing-permissions', 'archived-thread', 'rate-limited', 'no-ack'. */
  readonly kind: string;
  /** Only requests to this route: a substring of `"METHOD /path"` or a RegExp on it. */
  readonly route?: string | RegExp;
  /** Why the test provokes it (shown when it did not happen). */
  readonly because: string;
  /**
   * At least this many must happen (default 1; 0 when whether it happens depends on timing, e.g. a
   * retry that may or may not be needed).
   */
  readonly atLeast?: number;
  /** At most this many (default: no limit). */
  readonly atMost?: number;
}

function line(v: Violation): string {
  return `${v.method ?? ''} ${v.path ?? ''}`.trim();
}

function matches(e: ExpectedRefusal, v: Violation): boolean {
  if (e.kind !== v.kind) return false;
  if (e.route === undefined) return true;
  return typeof e.route === 'string' ? line(v).includes(e.route) : e.route.test(line(v));
}

function describe(v: Violation): string {
  const where = line(v) || (v.interactionId ? `interaction ${v.interactionId}` : 'gateway');
  return `  ${v.kind} (${where}): ${v.message}`;
}

/**
 * The problems with what the emulator recorded, given what the test expected; empty when none.
 * A violation matching several expectations counts for the first.
 */
export function refusalProblems(recorded: readonly Violation[], expected: readonly ExpectedRefusal[]): string[] {
  const counts = expected.map(() => 0);
  const unexpected: Violation[] = [];
  for (const v of recorded) {
    const i = expected.findIndex((e) => matches(e, v));
    if (i < 0) unexpected.push(v);
    else counts[i] = (counts[i] ?? 0) + 1;
  }
  const problems: string[] = [];
  if (unexpected.length > 0) {
    problems.push(`the emulator recorded ${unexpected.length} violation(s) the test did not expect:\n${unexpected.map(describe).join('\n')}`);
  }
  expected.forEach((e, i) => {
    const n = counts[i] ?? 0;
    const what = `${e.kind}${e.route === undefined ? '' : ` on ${String(e.route)}`} (${e.because})`;
    if (n < (e.atLeast ?? 1)) problems.push(`expected at least ${e.atLeast ?? 1} ${what}, saw ${n}`);
    if (e.atMost !== undefined && n > e.atMost) problems.push(`expected at most ${e.atMost} ${what}, saw ${n}`);
  });
  return problems;
}

/**
 * Refusals (4xx answers) that the emulator answered without recording a violation: an emulator bug, as
 * every refusal of a rule carries one. Injected faults (`failRoute`, `rateLimit`) are the test's own.
 */
export function unrecordedRefusals(emu: Pick<Emulator, 'violations' | 'requests'>): string[] {
  const recorded = new Map<string, number>();
  // A refused acknowledgement (40060, or 10062 when late) is recorded by its interaction, not its path.
  const key = (v: Violation) => (v.path === null && v.interactionId !== null ? `interaction ${v.interactionId}` : line(v));
  for (const v of emu.violations()) recorded.set(key(v), (recorded.get(key(v)) ?? 0) + 1);
  const out: string[] = [];
  for (const r of emu.requests()) {
    if (r.status < 400 || r.status >= 500 || r.fault !== null) continue;
    const callback = /^\/interactions\/(\d+)\//.exec(r.path)?.[1];
    const byInteraction = callback === undefined ? 0 : (recorded.get(`interaction ${callback}`) ?? 0);
    if (callback !== undefined && byInteraction > 0) {
      recorded.set(`interaction ${callback}`, byInteraction - 1);
      continue;
    }
    const route = `${r.method} ${r.path}`;
    const left = recorded.get(route) ?? 0;
    if (left > 0) recorded.set(route, left - 1);
    else out.push(`  ${r.status} ${route}: ${JSON.stringify(r.response)} (no violation recorded)`);
  }
  return out.length > 0 ? [`the emulator refused ${out.length} request(s) without recording them:\n${out.join('\n')}`] : [];
}

/** Throws when the emulator recorded a violation not declared, or a declared one did not happen. */
export function assertOnlyExpectedRefusals(emu: Emulator, expected: readonly ExpectedRefusal[]): void {
  const problems = [...refusalProblems(emu.violations(), expected), ...unrecordedRefusals(emu)];
  if (problems.length > 0) throw new Error(`Discord would have refused or penalised Scribe:\n${problems.join('\n')}`);
}
