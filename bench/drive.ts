/**
 * The benchmark's Discord and its members: a guild whose members all sit in the meeting's voice
 * channel, and members who run `/update`, get the modal and submit it. Every time is taken at the
 * emulator, from sending INTERACTION_CREATE: `ackMs` to the first callback, `savedMs` to the final
 * answer (the reply itself when it was immediate; otherwise the first edit of the deferred reply).
 */
import type { Emulator, InteractionEvent, InteractionHandle } from '../test/emulator/index.ts';
import { Perm } from '../test/emulator/index.ts';

export interface World {
  readonly guildId: string;
  readonly textChannelId: string;
  readonly voiceChannelId: string;
  readonly maintainerRoleId: string;
  readonly maintainerId: string;
  readonly memberIds: readonly string[];
}

/** What happened to one interaction; null where it did not come within the wait. */
export interface Outcome {
  readonly ackMs: number | null;
  /** False when the emulator refused the callback (late, invalid…). */
  readonly accepted: boolean;
  readonly savedMs: number | null;
  readonly text: string | null;
}

const ACK_WAIT_MS = 10_000;
const ANSWER_WAIT_MS = 20_000;

/** Seeded before any bot connects, so each bot gets it all in one GUILD_CREATE. */
export function seedWorld(emu: Emulator, members: number): World {
  const guildId = emu.addGuild({ name: 'Unikraft' });
  const maintainerRoleId = emu.addRole(guildId, { name: 'Maintainer', permissions: Perm.ManageThreads | Perm.ManageMessages, mentionable: true });
  const textChannelId = emu.addChannel(guildId, { name: 'hackathon', type: 'text', topic: 'Meeting notes' });
  const voiceChannelId = emu.addChannel(guildId, { name: 'monkey-business', type: 'voice' });
  const maintainerId = emu.addMember(guildId, { username: 'razvand', globalName: 'Razvan D', roles: [maintainerRoleId] });
  const memberIds: string[] = [];
  for (let i = 0; i < members; i += 1) {
    const n = String(i).padStart(4, '0');
    // A nickname on every fifth member, so name resolution has both cases to handle.
    memberIds.push(emu.addMember(guildId, { username: `member${n}`, globalName: `Member ${n}`, ...(i % 5 === 0 ? { nick: `Nick ${n}` } : {}) }));
  }
  for (const id of [maintainerId, ...memberIds]) emu.voiceJoin(id, voiceChannelId);
  return { guildId, textChannelId, voiceChannelId, maintainerRoleId, maintainerId, memberIds };
}

/** The bare bot's one command, registered as a deploy would. */
export async function registerBareCommand(emu: Emulator, guildId: string): Promise<void> {
  const res = await fetch(`${emu.restUrl}/v10/applications/${emu.applicationId}/guilds/${guildId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
    body: JSON.stringify([{ name: 'update', description: 'Give your update for the meeting', type: 1 }]),
  });
  if (!res.ok) throw new Error(`registering /update failed: ${res.status} ${await res.text()}`);
}

function isFinalAnswer(e: InteractionEvent): boolean {
  return (e.kind === 'edit-original' || e.kind === 'followup') && e.accepted && e.message !== null;
}

/** Waits for the acknowledgement and, when the reply was deferred, for its final text. */
export async function outcomeOf(h: InteractionHandle, answerWaitMs = ANSWER_WAIT_MS): Promise<Outcome> {
  const ack = await h.waitForAck(ACK_WAIT_MS).catch(() => null);
  if (!ack) return { ackMs: null, accepted: false, savedMs: null, text: null };
  const base = { ackMs: ack.latencyMs, accepted: ack.accepted };
  if (!ack.accepted) return { ...base, savedMs: null, text: null };
  if (ack.type === 4) return { ...base, savedMs: ack.latencyMs, text: typeof ack.data?.['content'] === 'string' ? ack.data['content'] : '' };
  const final = await h.waitFor(isFinalAnswer, answerWaitMs).catch(() => null);
  if (!final?.message) return { ...base, savedMs: null, text: null };
  return { ...base, savedMs: final.at - (ack.at - ack.latencyMs), text: final.message.content };
}

interface Modal {
  readonly customId: string;
  readonly fieldId: string;
}

/** The first text input of a modal (in a classic action row, or a label component holding it). */
export function firstTextInputId(modal: Record<string, unknown>): string | undefined {
  const rows = Array.isArray(modal['components']) ? (modal['components'] as Record<string, unknown>[]) : [];
  for (const row of rows) {
    const inner = [...(Array.isArray(row['components']) ? row['components'] : []), row['component']] as (Record<string, unknown> | undefined)[];
    const input = inner.find((c) => c?.['type'] === 4 && typeof c['custom_id'] === 'string');
    if (input) return input['custom_id'] as string;
  }
  return undefined;
}

async function openModal(emu: Emulator, userId: string, channelId: string): Promise<Modal> {
  const h = emu.slash(userId, channelId, 'update');
  const ack = await h.waitForAck(ACK_WAIT_MS);
  const customId = ack.data?.['custom_id'];
  const fieldId = ack.data ? firstTextInputId(ack.data) : undefined;
  if (ack.type !== 9 || !ack.accepted || typeof customId !== 'string' || fieldId === undefined) {
    const text = h.original()?.content ?? JSON.stringify(ack.data ?? {}).slice(0, 200);
    throw new Error(`/update showed ${userId} no modal (callback type ${ack.type}, ${ack.accepted ? 'accepted' : 'refused'}): ${text}`);
  }
  return { customId, fieldId };
}

/** `text(i)` is what member i types into the modal. */
export type UpdateText = (memberIndex: number) => string;

/** One member after another: modal opened (untimed), submitted, the next once the answer is complete. */
export async function sequential(emu: Emulator, userIds: readonly string[], channelId: string, text: UpdateText): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [i, userId] of userIds.entries()) {
    const modal = await openModal(emu, userId, channelId);
    outcomes.push(await outcomeOf(emu.submitModal(userId, channelId, modal.customId, { [modal.fieldId]: text(i) })));
  }
  return outcomes;
}

/**
 * Every member's modal is opened first (untimed, 25 at a time); then the submissions are sent spread
 * evenly over `windowMs`, yielding to the event loop between sends so the emulator keeps answering.
 */
export async function burst(emu: Emulator, userIds: readonly string[], channelId: string, text: UpdateText, windowMs: number): Promise<Outcome[]> {
  const modals: Modal[] = [];
  for (let i = 0; i < userIds.length; i += 25) {
    const batch = userIds.slice(i, i + 25);
    modals.push(...(await Promise.all(batch.map((id) => openModal(emu, id, channelId)))));
  }
  const pending: Promise<Outcome>[] = [];
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(userIds.length, Math.floor(((performance.now() - t0) / windowMs) * userIds.length) + 1);
      for (let i = pending.length; i < due; i += 1) {
        const userId = userIds[i] ?? '';
        const modal = modals[i] ?? { customId: '', fieldId: '' };
        pending.push(outcomeOf(emu.submitModal(userId, channelId, modal.customId, { [modal.fieldId]: text(i) })));
      }
      if (pending.length >= userIds.length) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  return Promise.all(pending);
}
