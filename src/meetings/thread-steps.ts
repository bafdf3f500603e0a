/**
 * The steps that post in a meeting's thread after it opened, each through recover-thread.ts: a lost
 * thread is recovered first when it can be, and a thread found unusable is recorded.
 */
import { meetingTurn } from './claim.ts';
import { requireMeeting, saveMeeting, type MeetingContext } from './context.ts';
import { ChannelUnavailableError } from './port-errors.ts';
import { postRevision, type SummaryResult } from './post-notes.ts';
import type { MeetingKey, MeetingRecord } from './records.ts';
import { markThreadLost, recoverThread, withThread } from './recover-thread.ts';
import { sendReminder } from './remind.ts';

/**
 * Posts the notes as a new revision (see postRevision). Posting in an ended meeting's archived thread
 * unarchives it, as Discord does for any message: it is archived again once the revision is posted.
 */
export function postSummary(ctx: MeetingContext, key: MeetingKey, options: { force?: boolean } = {}): Promise<SummaryResult> {
  // Another process's revision of the same text, posted while this one waited for the claim, is not posted again.
  return meetingTurn(ctx, key, async (lease) => {
    const before = await requireMeeting(ctx, key);
    const result = await withThread(ctx, before, (meeting) => postRevision(ctx, meeting, options.force ?? false, lease)).catch(async (error: unknown) => {
      if (error instanceof ChannelUnavailableError) await forgetUnpostedRevision(ctx, before);
      throw error;
    });
    const meeting = result.compiled.meeting;
    if (result.posted && meeting.status === 'ended' && meeting.threadId !== undefined) await archiveAgain(ctx, meeting, meeting.threadId);
    return result;
  });
}

/**
 * A revision refused before any of it was posted (the thread unusable) is forgotten, so that the one
 * posted once the thread is back has the next number, not one after a revision nobody saw.
 */
export async function forgetUnpostedRevision(ctx: MeetingContext, before: MeetingRecord): Promise<void> {
  const now = await requireMeeting(ctx, before.key);
  const started = now.summary;
  if (started === undefined || started.completedAt !== undefined || started.messageIds.length > 0 || started.revision !== before.summaryRevision + 1) return;
  const { summary: _unposted, ...rest } = now;
  // What was posted in another thread (deleted since) is not kept as this thread's.
  const earlier = before.summary !== undefined && before.threadId === now.threadId ? { summary: before.summary } : {};
  await saveMeeting(ctx, { ...rest, ...earlier, summaryRevision: before.summaryRevision });
}

/** An ended meeting's thread archived again; the notes are posted whatever happens to this. */
async function archiveAgain(ctx: MeetingContext, meeting: MeetingRecord, threadId: string): Promise<void> {
  try {
    await ctx.port.archiveThread(threadId);
  } catch (error) {
    ctx.log.warn({ meeting: meeting.key, threadId, err: error }, 'could not archive the thread again after a late revision');
  }
}

/** The reminder, in a thread recovered first if it was lost; a reminder that cannot be posted is not retried (remind.ts). */
export async function remind(ctx: MeetingContext, key: MeetingKey): Promise<{ sent: boolean; userIds: readonly string[] }> {
  await meetingTurn(ctx, key, async () => {
    const meeting = await requireMeeting(ctx, key);
    if (meeting.status === 'open') await recoverThread(ctx, meeting);
  });
  try {
    return await sendReminder(ctx, key);
  } catch (error) {
    if (error instanceof ChannelUnavailableError) await meetingTurn(ctx, key, async () => markThreadLost(ctx, await requireMeeting(ctx, key), error));
    throw error;
  }
}
