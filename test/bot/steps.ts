import { expect } from 'vitest';
import type { StoredMessage } from '../emulator/index.ts';
import type { Harness } from './harness.ts';

/** A member opens the /update modal in a channel and submits `text`; resolves with the ephemeral answer. */
export async function giveUpdate(h: Harness, userId: string, channelId: string, text: string): Promise<StoredMessage> {
  const asked = h.emu.slash(userId, channelId, 'update');
  const ack = await asked.waitForAck();
  expect(ack.type, `the /update answer: ${JSON.stringify(ack.data)}`).toBe(9);
  const submitted = h.emu.submitModal(userId, channelId, String(ack.data?.custom_id), { bullets: text });
  return submitted.waitForAnswer();
}

/** Runs a slash command that defers, and resolves with its edited (final) answer. */
export async function run(
  h: Harness,
  userId: string,
  channelId: string,
  command: string,
  options: Record<string, string | number | boolean> = {},
): Promise<StoredMessage> {
  return h.emu.slash(userId, channelId, command, options).waitForAnswer();
}

/** Opens the meeting with /meeting start and returns its thread id. */
export async function startMeeting(h: Harness): Promise<string> {
  const reply = await run(h, h.guild.members.maintainer, h.guild.textChannelId, 'meeting start');
  const id = /<#(\d+)>/.exec(reply.content)?.[1];
  if (id === undefined) throw new Error(`no thread in: ${reply.content}`);
  return id;
}

/** Polls until `check` holds (for work the bot does on its own after a timer fires). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The notes file attached to the last summary posted in a thread. */
export function lastNotesFile(h: Harness, threadId: string): string {
  const text = h.emu
    .messages(threadId)
    .filter((m) => m.attachments.length > 0)
    .at(-1)
    ?.attachments[0]?.text();
  if (text === undefined) throw new Error('no notes file posted');
  return text;
}

/** Messages in a thread that carry a notes file (one per summary revision). */
export function summaries(h: Harness, threadId: string): number {
  return h.emu.messages(threadId).filter((m) => m.attachments.length > 0).length;
}
