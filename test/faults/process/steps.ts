import { expect } from 'vitest';
import { createSqliteAdapter } from '../../../src/store/sqlite.ts';
import type { StoredMessage } from '../../emulator/index.ts';
import type { World } from './scribe-process.ts';

/** A member opens the /update modal and submits `text`; resolves with the ephemeral answer. */
export async function giveUpdate(world: World, userId: string, channelId: string, text: string): Promise<StoredMessage> {
  const ack = await world.emu.slash(userId, channelId, 'update').waitForAck(10_000);
  if (ack.type !== 9) throw new Error(`/update did not show the form: ${JSON.stringify(ack.data)}`);
  return world.emu.submitModal(userId, channelId, String(ack.data?.custom_id), { bullets: text }).waitForAnswer(undefined, 10_000);
}

/** Runs a deferred slash command and resolves with its final answer. */
export function command(
  world: World,
  userId: string,
  channelId: string,
  name: string,
  options: Record<string, string | number | boolean> = {},
): Promise<StoredMessage> {
  return world.emu.slash(userId, channelId, name, options).waitForAnswer(undefined, 10_000);
}

/** The meeting thread(s) under the series' text channel. */
export function meetingThreads(world: World): { id: string; name: string | null }[] {
  return world.emu.threads(world.guild.textChannelId).map((t) => ({ id: t.id, name: t.name }));
}

/** The one meeting thread's id; fails when there is none or more than one. */
export function theThread(world: World): string {
  const threads = meetingThreads(world);
  if (threads.length !== 1 || threads[0] === undefined) throw new Error(`expected one meeting thread, found ${threads.length}`);
  return threads[0].id;
}

export const WELCOME = /^Welcome! This thread collects the meeting notes\./;

/** The notes as they stand, through `/summary preview:true` (nothing is posted). */
export async function previewNotes(world: World, threadId: string): Promise<string> {
  const reply = await command(world, world.guild.members.maintainer, threadId, 'summary', { preview: true });
  const text = reply.attachments[0]?.text();
  if (text === undefined) throw new Error(`no notes in the preview: ${reply.content}`);
  return text;
}

/** How many times `needle` occurs in `haystack`. */
export function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The interaction's first response (its callback), and the edit of its deferred answer. */
export const isCallback = (r: { method: string; path: string }) => r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(r.path);
export const isOriginalEdit = (r: { method: string; path: string }) => r.method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(r.path);

/** Shows the /update form to a member and returns its custom id. */
export async function openForm(w: World, userId: string, threadId: string): Promise<string> {
  const ack = await w.emu.slash(userId, threadId, 'update').waitForAck(10_000);
  expect(ack.type).toBe(9);
  return String(ack.data?.custom_id);
}

/**
 * Takes SQLite's write lock on the bot's database from this process (another connection in an open
 * transaction), so the bot's writes wait: an update "being saved" for as long as the test likes, up to
 * the bot's 5-second store timeout. `release` rolls the transaction back and lets them through.
 */
export async function lockStore(w: World): Promise<{ release(): Promise<void> }> {
  const locker = await createSqliteAdapter({ uri: w.storeUrl });
  await locker.query('BEGIN EXCLUSIVE');
  return {
    async release() {
      await locker.query('ROLLBACK');
      await locker.disconnect();
    },
  };
}
