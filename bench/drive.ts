/**
 * Members using the bot through the emulator: `/update` to get the modal, then a timed submission.
 * Every figure is taken at the emulator: `latencyMs` of the first callback (INTERACTION_CREATE sent →
 * callback arrived) and, for a deferred reply, the time until the reply's final text arrived.
 */
import type { CallbackEvent, Emulator, InteractionEvent, InteractionHandle, Violation } from '../../test/emulator/index.ts';
import { distribution, maxOf, type Distribution } from './stats.ts';
import { cpuTimeMs, sleep, systemBusyMs, threadCpuTimeMs, withTimeout } from './child.ts';

export interface ShownModal {
  readonly customId: string;
  readonly fieldId: string;
}

export interface SubmitOutcome {
  readonly userId: string;
  /** The first callback, or null when none came within the wait. */
  readonly ack: CallbackEvent | null;
  /** INTERACTION_CREATE sent → the reply's final content arrived (the ack itself for an immediate reply). */
  readonly completeMs: number | null;
  readonly finalText: string | null;
  /** performance.now() at the emulator when INTERACTION_CREATE was sent (when known). */
  readonly sentAt: number | null;
}

export interface PhaseStats {
  readonly submissions: number;
  readonly acked: number;
  /** Refused callbacks, and replies that report a failure. */
  readonly errors: number;
  /** No callback at all within the wait. */
  readonly missing: number;
  /** Acknowledged but the final reply never came. */
  readonly incomplete: number;
  /** Acknowledged after Discord's 3-second deadline. */
  readonly lateAcks: number;
  readonly ack: Distribution;
  readonly complete: Distribution;
  /** First lines of the final replies and how often each came (the first five kinds). */
  readonly replies: Record<string, number>;
  readonly violations: Record<string, number>;
  /** Every ack latency in sending order (ms, two decimals; null when none came), for a closer look. */
  readonly ackSamplesMs: readonly (number | null)[];
}

type JsonObjectLike = Record<string, unknown>;

const ERROR_REPLY = /went wrong|not saved|unavailable|no longer handled|not known|try again/i;
const DEFAULT_ACK_WAIT_MS = 10_000;
const DEFAULT_COMPLETE_WAIT_MS = 20_000;

function isObject(value: unknown): value is JsonObjectLike {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text inputs of a modal (classic action rows, or label components holding one input). */
export function textInputIds(modal: JsonObjectLike): string[] {
  const ids: string[] = [];
  const rows = Array.isArray(modal['components']) ? modal['components'] : [];
  for (const row of rows) {
    if (!isObject(row)) continue;
    const inner = [...(Array.isArray(row['components']) ? row['components'] : []), ...(isObject(row['component']) ? [row['component']] : [])];
    for (const c of inner) if (isObject(c) && c['type'] === 4 && typeof c['custom_id'] === 'string') ids.push(c['custom_id']);
  }
  return ids;
}

function describeAnswer(h: InteractionHandle, ack: CallbackEvent): string {
  const content = (ack.data && typeof ack.data['content'] === 'string' ? ack.data['content'] : undefined) ?? h.original()?.content;
  return `callback type ${ack.type}${ack.accepted ? '' : ` refused (${ack.status} ${String(ack.errorCode)})`}${content ? `: "${content.slice(0, 200)}"` : ''}`;
}

/** Runs `/update` as the member and returns the modal it was shown. */
export async function openUpdateModal(emu: Emulator, userId: string, channelId: string, timeoutMs = DEFAULT_ACK_WAIT_MS): Promise<ShownModal> {
  const h = emu.slash(userId, channelId, 'update');
  const ack = await h.waitForAck(timeoutMs);
  if (ack.type !== 9 || !ack.accepted || !ack.data) {
    // A deferred answer may carry the reason in its edit.
    await sleep(200);
    throw new Error(`/update did not show a modal to ${userId}: ${describeAnswer(h, ack)}${h.original()?.content ? ` / "${h.original()?.content.slice(0, 200)}"` : ''}`);
  }
  const customId = ack.data['custom_id'];
  const fieldId = textInputIds(ack.data)[0];
  if (typeof customId !== 'string' || !customId.startsWith('update:') || fieldId === undefined) {
    throw new Error(`/update showed an unexpected modal: ${JSON.stringify(ack.data).slice(0, 300)}`);
  }
  return { customId, fieldId };
}

/** Opens modals for many members, `concurrency` at a time. */
export async function openUpdateModals(emu: Emulator, userIds: readonly string[], channelId: string, concurrency = 25): Promise<Map<string, ShownModal>> {
  const shown = new Map<string, ShownModal>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < userIds.length) {
      const userId = userIds[next];
      next += 1;
      if (userId === undefined) break;
      shown.set(userId, await openUpdateModal(emu, userId, channelId));
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, userIds.length) }, () => worker()));
  return shown;
}

function isFinalAnswer(e: InteractionEvent): boolean {
  return (e.kind === 'edit-original' || e.kind === 'followup') && e.accepted && e.message !== null;
}

/** Waits for the ack and, if the reply was deferred, for its final text. */
export async function outcomeOf(h: InteractionHandle, userId: string, waits: { ackMs?: number; completeMs?: number } = {}): Promise<SubmitOutcome> {
  const ack = await withTimeout(h.response, waits.ackMs ?? DEFAULT_ACK_WAIT_MS, 'no ack').catch(() => null);
  if (!ack) return { userId, ack: null, completeMs: null, finalText: null, sentAt: null };
  const sentAt = ack.at - ack.latencyMs;
  if (!ack.accepted) return { userId, ack, completeMs: null, finalText: null, sentAt };
  if (ack.type === 4) {
    const text = ack.data && typeof ack.data['content'] === 'string' ? ack.data['content'] : '';
    return { userId, ack, completeMs: ack.latencyMs, finalText: text, sentAt };
  }
  const final = await h.waitFor(isFinalAnswer, waits.completeMs ?? DEFAULT_COMPLETE_WAIT_MS).catch(() => null);
  if (!final || final.kind === 'callback' || !final.message) return { userId, ack, completeMs: null, finalText: null, sentAt };
  return { userId, ack, completeMs: final.at - sentAt, finalText: final.message.content, sentAt };
}

export function summarise(outcomes: readonly SubmitOutcome[], violations: readonly Violation[], ackDeadlineMs = 3000): PhaseStats {
  const acked = outcomes.filter((o) => o.ack?.accepted === true);
  const replies: Record<string, number> = {};
  let errorReplies = 0;
  for (const o of outcomes) {
    if (o.finalText === null) continue;
    // Replies usually quote the person's own text; their first line says what happened.
    const first = o.finalText.split('\n', 1)[0] ?? '';
    const key = first.length > 100 ? `${first.slice(0, 100)}…` : first;
    if (key in replies || Object.keys(replies).length < 5) replies[key] = (replies[key] ?? 0) + 1;
    if (ERROR_REPLY.test(o.finalText)) errorReplies += 1;
  }
  const byKind: Record<string, number> = {};
  for (const v of violations) byKind[v.kind] = (byKind[v.kind] ?? 0) + 1;
  return {
    submissions: outcomes.length,
    acked: acked.length,
    errors: outcomes.filter((o) => o.ack !== null && !o.ack.accepted).length + errorReplies,
    missing: outcomes.filter((o) => o.ack === null).length,
    incomplete: acked.filter((o) => o.completeMs === null).length,
    lateAcks: outcomes.filter((o) => o.ack !== null && o.ack.latencyMs > ackDeadlineMs).length,
    ack: distribution(outcomes.flatMap((o) => (o.ack ? [o.ack.latencyMs] : []))),
    complete: distribution(outcomes.flatMap((o) => (o.completeMs === null ? [] : [o.completeMs]))),
    replies,
    violations: byKind,
    ackSamplesMs: outcomes.map((o) => (o.ack ? Math.round(o.ack.latencyMs * 100) / 100 : null)),
  };
}

/** The update text of member `i`: `bullets` lines, tagged with the run so the store check finds this run's text. */
export type UpdateText = (memberIndex: number) => string;

/**
 * `count` submissions one after another by members 0…count-1: modal shown (untimed), submitted, and the
 * next one only after the previous reply is complete.
 */
export async function sequentialSubmissions(
  emu: Emulator,
  userIds: readonly string[],
  channelId: string,
  text: UpdateText,
): Promise<PhaseStats> {
  const violationsBefore = emu.violations().length;
  const outcomes: SubmitOutcome[] = [];
  for (const [i, userId] of userIds.entries()) {
    const modal = await openUpdateModal(emu, userId, channelId);
    const h = emu.submitModal(userId, channelId, modal.customId, { [modal.fieldId]: text(i) });
    outcomes.push(await outcomeOf(h, userId));
  }
  return summarise(outcomes, emu.violations().slice(violationsBefore));
}

export interface BurstStats extends PhaseStats {
  /** First send → last send. */
  readonly sendWindowMs: number;
  /** First send → last ack / last final reply. */
  readonly lastAckMs: number;
  readonly lastCompleteMs: number;
  /** First send → every outcome known. */
  readonly wallMs: number;
  /** CPU used in that time by the bot's process and by this one (the emulator and the driving code). */
  readonly botCpuMs: number;
  /** The part of botCpuMs on the bot's main (JavaScript) thread; the rest is V8's GC and compiler threads and libuv's pool. */
  readonly botMainThreadCpuMs: number;
  readonly emulatorCpuMs: number;
  /** CPU used by everything else on the machine meanwhile: other work skews the figures. */
  readonly otherCpuMs: number;
  /** TCP connections the bot opened to the emulator meanwhile (each costs both sides a connect). */
  readonly newConnections: number;
}

/**
 * Every member's modal is opened first (untimed); then all submissions are sent spread evenly over
 * `windowMs`, yielding to the event loop between sends so the emulator keeps taking callbacks.
 */
export async function burstSubmissions(
  emu: Emulator,
  userIds: readonly string[],
  channelId: string,
  text: UpdateText,
  botPid: number,
  windowMs = 1000,
): Promise<BurstStats> {
  const modals = await openUpdateModals(emu, userIds, channelId);
  const violationsBefore = emu.violations().length;
  const pending: Promise<SubmitOutcome>[] = [];
  const botCpu0 = cpuTimeMs(botPid);
  const botMain0 = threadCpuTimeMs(botPid, botPid);
  const ownCpu0 = process.cpuUsage();
  const system0 = systemBusyMs();
  const connections0 = emu.connectionsAccepted;
  const t0 = performance.now();
  let lastSend = t0;
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = (): void => {
      const due = Math.min(userIds.length, Math.floor(((performance.now() - t0) / windowMs) * userIds.length) + 1);
      while (next < due) {
        const userId = userIds[next] ?? '';
        const modal = modals.get(userId);
        if (!modal) throw new Error(`no modal for ${userId}`);
        const h = emu.submitModal(userId, channelId, modal.customId, { [modal.fieldId]: text(next) });
        pending.push(outcomeOf(h, userId));
        next += 1;
      }
      lastSend = performance.now();
      if (next >= userIds.length) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const outcomes = await Promise.all(pending);
  const wallMs = performance.now() - t0;
  const newConnections = emu.connectionsAccepted - connections0;
  const ownCpu = process.cpuUsage(ownCpu0);
  const botCpuMs = cpuTimeMs(botPid) - botCpu0;
  const botMainThreadCpuMs = threadCpuTimeMs(botPid, botPid) - botMain0;
  const systemMs = systemBusyMs() - system0;
  const stats = summarise(outcomes, emu.violations().slice(violationsBefore));
  const lastAck = maxOf(outcomes.map((o) => (o.ack ? o.ack.at : Number.NaN)).filter(Number.isFinite));
  const lastComplete = maxOf(outcomes.map((o) => (o.sentAt !== null && o.completeMs !== null ? o.sentAt + o.completeMs : Number.NaN)).filter(Number.isFinite));
  return { ...stats, sendWindowMs: lastSend - t0, lastAckMs: lastAck - t0, lastCompleteMs: lastComplete - t0, wallMs, botCpuMs, botMainThreadCpuMs, emulatorCpuMs: (ownCpu.user + ownCpu.system) / 1000, otherCpuMs: Math.max(0, systemMs - botCpuMs - (ownCpu.user + ownCpu.system) / 1000), newConnections };
}
