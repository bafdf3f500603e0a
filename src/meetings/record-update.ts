/**
 * Recording a person's update: the form replaces it, `/update text` adds to it. A meeting's updates are
 * applied in its turn of the queue, those that arrived meanwhile together (batches.ts), in arrival
 * order: none is lost, and of two forms of one person handled out of order the later-submitted one wins.
 */
import { whileClaimed } from './claim.ts';
import { UserError } from '../errors.ts';
import { MAX_UPDATE_BULLETS, MAX_UPDATE_CHARS, formatUpdate } from '../notes/bullets.ts';
import type { Block, Update } from '../notes/types.ts';
import type { Outcome } from './batches.ts';
import { BLOCKS_KEPT_MS, requireMeeting, type MeetingContext } from './context.ts';
import { appendUpdate } from './merge.ts';
import { blockOf, previewInFile } from './preview.ts';
import type { MeetingKey, MemberIdentity, UpdateRecord } from './records.ts';
import { resolveName } from './names.ts';

/** Whose update it is. */
export interface Subject {
  readonly userId: string;
  readonly identity: MemberIdentity;
  readonly bot?: boolean;
}

export interface RecordUpdateInput {
  readonly subject: Subject;
  readonly update: Update;
  /** Who submitted: the subject, or a maintainer using `/update for:`. */
  readonly authorId: string;
  /** `replace` (the form) or `append` (`/update text:`). Default replace. */
  readonly mode?: 'replace' | 'append';
  /** The form submission's Discord id (a snowflake: it orders submissions by when Discord received them). */
  readonly submissionId?: string;
}

export interface RecordedUpdate {
  readonly record: UpdateRecord;
  /** The person's block as text exactly as the notes will show it (labels numbered across the file). */
  readonly preview: string;
}

/** The caller's current bullets as editable text (for the form), or '' when they have none. */
export async function currentUpdateText(ctx: MeetingContext, key: MeetingKey, userId: string): Promise<string> {
  const record = await ctx.store.updates.get(key, userId);
  return record ? formatUpdate(record.update) : '';
}

export function recordUpdate(ctx: MeetingContext, key: MeetingKey, input: RecordUpdateInput): Promise<RecordedUpdate> {
  if (input.subject.bot) return Promise.reject(new UserError('Bots cannot give updates; only people appear in the notes.'));
  return ctx.updates.add(key, input);
}

/**
 * A meeting's submissions, applied in arrival order as if one after the other: a person's second
 * submission builds on their first. One outcome per submission; a store failure fails them all.
 */
export function recordUpdates(ctx: MeetingContext, key: MeetingKey, inputs: readonly RecordUpdateInput[]): Promise<Outcome<RecordedUpdate>[]> {
  // Read and written holding the meeting's updates claim: a batch of another process (two that both
  // believe they own the server) is applied before or after this one, so neither loses the other's.
  return whileClaimed(ctx, `updates:${key}`, () => applyUpdates(ctx, key, inputs));
}

async function applyUpdates(ctx: MeetingContext, key: MeetingKey, inputs: readonly RecordUpdateInput[]): Promise<Outcome<RecordedUpdate>[]> {
  const meeting = await requireMeeting(ctx, key);
  const userIds = [...new Set(inputs.map((i) => i.subject.userId))];
  const [stored, names] = await Promise.all([
    Promise.all(userIds.map((id) => ctx.store.updates.get(key, id))),
    ctx.store.names.getMany(meeting.guildId, userIds),
  ]);
  const current = new Map(userIds.map((id, i) => [id, stored[i]]));
  const now = ctx.clock.now().toISOString();
  const outcomes: Outcome<{ record: UpdateRecord; written: boolean }>[] = inputs.map((input) => {
    try {
      const existing = current.get(input.subject.userId);
      // A form sent later was saved first: it stays, and this answer shows it.
      if (existing && isOlderForm(input, existing)) return { value: { record: existing, written: false } };
      const record = nextRecord(input, existing, names.get(input.subject.userId)?.name, key, now);
      current.set(record.userId, record);
      return { value: { record, written: true } };
    } catch (error) {
      return { error };
    }
  });
  const written = outcomes.flatMap((o) => ('value' in o && o.value.written ? [o.value.record] : []));
  try {
    if (written.length > 0) {
      await ctx.store.updates.putMany(key, written);
      ctx.events.updatesStored(written.length);
    }
  } catch (error) {
    ctx.blocks.delete(key);
    throw error;
  }
  const kept = ctx.blocks.get(key)?.byUser;
  for (const record of written) kept?.set(record.userId, blockOf(record));
  for (const record of written)
    ctx.log.info({ meeting: key, userId: record.userId, authorId: record.authorId, bullets: record.update.bullets.length }, 'update recorded');

  // Blocks with links are shown with their labels numbered across the file, so the others are needed then.
  const withLinks = outcomes.some((o) => 'value' in o && o.value.record.update.references.length > 0);
  const blocks = withLinks ? [...(await fileBlocks(ctx, key))] : [];
  return outcomes.map((o) => ('value' in o ? { value: { record: o.value.record, preview: previewOf(o.value.record, blocks) } } : o));
}

/** The meeting's blocks in file order (see MeetingContext.blocks). */
async function fileBlocks(ctx: MeetingContext, key: MeetingKey): Promise<Map<string, Block>> {
  const now = ctx.clock.now().getTime();
  const kept = ctx.blocks.get(key);
  if (kept && now - kept.readAt < BLOCKS_KEPT_MS) return kept.byUser;
  const byUser = new Map((await ctx.store.updates.list(key)).map((u) => [u.userId, blockOf(u)]));
  ctx.blocks.set(key, { readAt: now, byUser });
  return byUser;
}

function nextRecord(input: RecordUpdateInput, existing: UpdateRecord | undefined, setName: string | undefined, key: MeetingKey, now: string): UpdateRecord {
  const append = input.mode === 'append';
  const update = append ? appendUpdate(existing?.update, input.update) : input.update;
  // Checked against what this batch has already applied, so that additions sent at once cannot together pass the limits.
  if (append) assertFitsTheForm(update);
  const submissionId = append ? existing?.submissionId : input.submissionId;
  return {
    meetingKey: key,
    userId: input.subject.userId,
    identity: input.subject.identity,
    name: resolveName(setName, input.subject.identity, input.subject.userId).name,
    update,
    firstGivenAt: existing?.firstGivenAt ?? now,
    updatedAt: now,
    authorId: input.authorId,
    ...(submissionId === undefined ? {} : { submissionId }),
  };
}

/** The block as the file shows it; `blocks` (the meeting's, in file order) matter only to a block with links. */
function previewOf(record: UpdateRecord, blocks: readonly (readonly [string, Block])[]): string {
  const block = blockOf(record);
  const index = blocks.findIndex(([userId]) => userId === record.userId);
  if (block.references.length === 0 || index === -1) return previewInFile([block], 0);
  return previewInFile(
    blocks.map(([userId, b]) => (userId === record.userId ? block : b)),
    index,
  );
}

/** Removes a person's update (their block disappears from the next revision). */
export function removeUpdate(ctx: MeetingContext, key: MeetingKey, userId: string): Promise<boolean> {
  return ctx.queue.run(key, () =>
    whileClaimed(ctx, `updates:${key}`, () => {
      ctx.blocks.get(key)?.byUser.delete(userId);
      return ctx.store.updates.delete(key, userId);
    }),
  );
}

function isOlderForm(input: RecordUpdateInput, existing: UpdateRecord): boolean {
  if (input.mode === 'append' || input.submissionId === undefined || existing.submissionId === undefined) return false;
  return BigInt(existing.submissionId) > BigInt(input.submissionId);
}

/** An update grown by `/update text` must stay within what the form holds, or its owner could no longer edit it. */
function assertFitsTheForm(update: Update): void {
  if (update.bullets.length > MAX_UPDATE_BULLETS) {
    throw new UserError(
      `That would make ${update.bullets.length} bullets; the limit is ${MAX_UPDATE_BULLETS}. Run /update without text to edit the whole update.`,
    );
  }
  const length = [...formatUpdate(update)].length;
  if (length > MAX_UPDATE_CHARS) {
    throw new UserError(
      `That would make the update ${length.toLocaleString('en-US')} characters long; the limit is ${MAX_UPDATE_CHARS.toLocaleString('en-US')}. Run /update without text to shorten it.`,
    );
  }
}
