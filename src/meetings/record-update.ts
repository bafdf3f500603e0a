/**
 * Recording a person's update: the form replaces it, `/update text` adds to it. Every write to one
 * meeting runs in its turn of the queue, so two submissions at once are applied one after the other
 * and none is lost; of two forms of one person handled out of order, the later-submitted one wins.
 */
import { UserError } from '../errors.ts';
import { MAX_UPDATE_BULLETS, MAX_UPDATE_CHARS, formatUpdate } from '../notes/bullets.ts';
import type { Update } from '../notes/types.ts';
import { requireMeeting, type MeetingContext } from './context.ts';
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

export async function recordUpdate(ctx: MeetingContext, key: MeetingKey, input: RecordUpdateInput): Promise<RecordedUpdate> {
  if (input.subject.bot) throw new UserError('Bots cannot give updates; only people appear in the notes.');
  const { record, written } = await ctx.queue.run(key, async () => {
    const meeting = await requireMeeting(ctx, key);
    const [existing, setName] = await Promise.all([ctx.store.updates.get(key, input.subject.userId), ctx.store.names.get(meeting.guildId, input.subject.userId)]);
    if (existing && isOlderForm(input, existing)) {
      // A form sent later was saved first: it stays, and this answer shows it.
      return { record: existing, written: false };
    }
    const append = input.mode === 'append';
    const update = append ? appendUpdate(existing?.update, input.update) : input.update;
    // Checked in the meeting's turn, so that additions sent at once cannot together pass the limits.
    if (append) assertFitsTheForm(update);
    const now = ctx.clock.now().toISOString();
    const submissionId = append ? existing?.submissionId : input.submissionId;
    const record: UpdateRecord = {
      meetingKey: key,
      userId: input.subject.userId,
      identity: input.subject.identity,
      name: resolveName(setName?.name, input.subject.identity, input.subject.userId).name,
      update,
      firstGivenAt: existing?.firstGivenAt ?? now,
      updatedAt: now,
      authorId: input.authorId,
      ...(submissionId === undefined ? {} : { submissionId }),
    };
    await ctx.store.updates.put(record);
    return { record, written: true };
  });
  if (written) ctx.log.info({ meeting: key, userId: record.userId, authorId: record.authorId, bullets: record.update.bullets.length }, 'update recorded');
  return { record, preview: await previewOf(ctx, record) };
}

/** Removes a person's update (their block disappears from the next revision). */
export function removeUpdate(ctx: MeetingContext, key: MeetingKey, userId: string): Promise<boolean> {
  return ctx.queue.run(key, () => ctx.store.updates.delete(key, userId));
}

function isOlderForm(input: RecordUpdateInput, existing: UpdateRecord): boolean {
  if (input.mode === 'append' || input.submissionId === undefined || existing.submissionId === undefined) return false;
  return BigInt(existing.submissionId) > BigInt(input.submissionId);
}

/**
 * The block as the file shows it. Only a block with links depends on the others (its labels are
 * numbered across the file), so only then are the meeting's other updates read.
 */
async function previewOf(ctx: MeetingContext, record: UpdateRecord): Promise<string> {
  const block = blockOf(record);
  if (block.references.length === 0) return previewInFile([block], 0);
  const updates = await ctx.store.updates.list(record.meetingKey);
  const index = updates.findIndex((u) => u.userId === record.userId);
  if (index === -1) return previewInFile([block], 0);
  return previewInFile(updates.map((u, i) => (i === index ? block : blockOf(u))), index);
}

/** An update grown by `/update text` must stay within what the form holds, or its owner could no longer edit it. */
function assertFitsTheForm(update: Update): void {
  if (update.bullets.length > MAX_UPDATE_BULLETS) {
    throw new UserError(`That would make ${update.bullets.length} bullets; the limit is ${MAX_UPDATE_BULLETS}. Run /update without text to edit the whole update.`);
  }
  const length = [...formatUpdate(update)].length;
  if (length > MAX_UPDATE_CHARS) {
    throw new UserError(
      `That would make the update ${length.toLocaleString('en-US')} characters long; the limit is ${MAX_UPDATE_CHARS.toLocaleString('en-US')}. Run /update without text to shorten it.`,
    );
  }
}
