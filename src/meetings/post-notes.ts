/**
 * Compiling a meeting's notes and posting them in its thread as a revision. The revision and each
 * posted message id are recorded as they happen: an unchanged text is not posted again, and a
 * revision cut short by a crash is completed (a message posted but not recorded is found by its text).
 * Discord lets a bot post about 5 messages per 5 s into one channel, so a revision is at most
 * SUMMARY_MAX_MESSAGES messages, or one short message with the file (summary-messages.ts).
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.ts';
import { renderDiscussion, type DiscussionNotes } from '../notes/index.ts';
import { render } from '../notes/render.ts';
import type { Notes } from '../notes/types.ts';
import { compileNotes } from './compile.ts';
import { compileDiscussion } from './compile-discussion.ts';
import type { Lease } from './claim.ts';
import { findOwnMessage, MINUTE, requireMeeting, saveMeeting, seriesOf, type MeetingContext } from './context.ts';
import type { MeetingKey, MeetingRecord, SummaryPost } from './records.ts';
import type { PeopleRoster } from './roster.ts';
import { summaryMessages, type SummaryForm } from './summary-messages.ts';
import { notesFileNameFor } from './templates.ts';

/** The notes in the series' layout (`template` in the config). */
export type LayoutNotes = { readonly layout: 'activities'; readonly notes: Notes } | { readonly layout: 'discussion'; readonly notes: DiscussionNotes };

export type CompiledMeeting = LayoutNotes & {
  readonly meeting: MeetingRecord;
  /** Who gave something (an update or a note), the attendees, the participants. */
  readonly roster: PeopleRoster;
  /** The whole file. */
  readonly text: string;
  /** `split`: the file's parts, split between blocks; `file`: one short message, the notes in the file. */
  readonly form: SummaryForm;
  /** What is posted, as Discord stores it (trimmed), at most SUMMARY_MAX_MESSAGES; the file goes on the last. */
  readonly messages: readonly string[];
  readonly fileName: string;
};

export interface SummaryResult {
  readonly revision: number;
  readonly messageIds: readonly string[];
  /** False when the text was unchanged since the last complete revision and nothing was posted. */
  readonly posted: boolean;
  readonly compiled: CompiledMeeting;
}

export interface MeetingStatusReport {
  readonly meeting: MeetingRecord;
  readonly layout: CompiledMeeting['layout'];
  readonly withUpdate: readonly { readonly userId: string; readonly name: string }[];
  /** Attendees (any presence) without an update, in the order they joined. */
  readonly withoutUpdate: readonly { readonly userId: string; readonly name: string; readonly presenceMinutes: number }[];
}

export async function compile(ctx: MeetingContext, meeting: MeetingRecord): Promise<CompiledMeeting> {
  const series = seriesOf(ctx, meeting);
  const fileName = notesFileNameFor(series, meeting.localDate);
  const now = ctx.clock.now();
  if (series.template === 'discussion') {
    const [discussion, attendance] = await Promise.all([ctx.store.discussions.get(meeting.key), ctx.store.attendance.get(meeting.key)]);
    const userIds = [
      ...new Set([
        ...(discussion?.notes ?? []).map((n) => n.userId),
        ...(discussion?.tasks ?? []).flatMap((t) => t.owners.map((o) => o.userId)),
        ...(attendance?.attendees ?? []).map((a) => a.userId),
      ]),
    ];
    const names = await ctx.store.names.getMany(meeting.guildId, userIds);
    const { notes, roster } = compileDiscussion({ series, meeting, discussion, attendance, names, now });
    const compiled = { layout: 'discussion', meeting, notes, roster, text: renderDiscussion(notes), fileName } as const;
    return { ...compiled, ...summaryMessages(compiled, ctx.messageLimit) };
  }
  const [updates, attendance] = await Promise.all([ctx.store.updates.list(meeting.key), ctx.store.attendance.get(meeting.key)]);
  const userIds = [...new Set([...updates.map((u) => u.userId), ...(attendance?.attendees ?? []).map((a) => a.userId)])];
  const names = await ctx.store.names.getMany(meeting.guildId, userIds);
  const { notes, roster } = compileNotes({ series, meeting, updates, attendance, names, now });
  const compiled = { layout: 'activities', meeting, notes, roster, text: render(notes), fileName } as const;
  return { ...compiled, ...summaryMessages(compiled, ctx.messageLimit) };
}

export async function meetingStatus(ctx: MeetingContext, key: MeetingKey): Promise<MeetingStatusReport> {
  const { meeting, roster, layout } = await compile(ctx, await requireMeeting(ctx, key));
  return {
    meeting,
    layout,
    withUpdate: roster.withUpdate.map(({ userId, name }) => ({ userId, name })),
    withoutUpdate: roster.attendees
      .filter((a) => !a.hasUpdate)
      .map(({ userId, name, presenceMs }) => ({ userId, name, presenceMinutes: Math.floor(presenceMs / MINUTE) })),
  };
}

/**
 * Posts the compiled notes as a new revision: the text split at block boundaries (or one short message),
 * the `.md` file on the last message, no mentions. An unchanged text is not posted again unless `force`.
 * In the meeting's turn (claim.ts `meetingTurn`), whose `lease` is confirmed before each message.
 */
export async function postRevision(ctx: MeetingContext, start: MeetingRecord, force: boolean, lease: Lease): Promise<SummaryResult> {
  let meeting = start;
  const threadId = meeting.threadId;
  if (threadId === undefined) throw new UserError('This meeting has no thread yet; it is still opening. Try again in a moment.');
  const compiled = await compile(ctx, meeting);
  const contentHash = createHash('sha256').update(compiled.text).digest('hex');
  const last = meeting.summary;
  const resumable = last !== undefined && last.contentHash === contentHash && last.chunkCount === compiled.messages.length;
  if (resumable && last.completedAt !== undefined && !force) {
    return { revision: last.revision, messageIds: last.messageIds, posted: false, compiled };
  }
  const now = () => ctx.clock.now().toISOString();
  const resuming = resumable && last.completedAt === undefined;
  // Messages of this revision come after the anchor; an identical chunk of an earlier one does not.
  const anchor = last?.messageIds.at(-1) ?? last?.afterMessageId ?? meeting.welcomeMessageId;
  let summary: SummaryPost = resuming
    ? last
    : {
        revision: meeting.summaryRevision + 1,
        contentHash,
        messageIds: [],
        chunkCount: compiled.messages.length,
        startedAt: now(),
        ...(anchor === undefined ? {} : { afterMessageId: anchor }),
      };
  await lease.confirm();
  meeting = await saveMeeting(ctx, { ...meeting, summaryRevision: summary.revision, summary });

  const resumeAt = summary.messageIds.length;
  for (let i = resumeAt; i < compiled.messages.length; i++) {
    const isLast = i === compiled.messages.length - 1;
    const content = compiled.messages[i] ?? '';
    // Resuming after a crash: the next chunk may have been posted without its id being recorded.
    const posted = resuming && i === resumeAt ? await findOwnMessage(ctx, threadId, content, summary.messageIds.at(-1) ?? summary.afterMessageId) : null;
    if (posted === null) await lease.confirm();
    const messageId =
      posted ??
      (await ctx.port.postMessage(threadId, {
        content,
        ...(isLast ? { files: [{ name: compiled.fileName, content: compiled.text }] } : {}),
        allowedUserMentions: [],
      }));
    summary = { ...summary, messageIds: [...summary.messageIds, messageId] };
    meeting = await saveMeeting(ctx, { ...meeting, summary });
  }
  summary = { ...summary, completedAt: now() };
  meeting = await saveMeeting(ctx, { ...meeting, summary });
  ctx.log.info({ meeting: meeting.key, revision: summary.revision, messages: summary.messageIds.length, form: compiled.form }, 'summary posted');
  ctx.events.notesPosted();
  return { revision: summary.revision, messageIds: summary.messageIds, posted: true, compiled: { ...compiled, meeting } };
}
