/**
 * The steps that post in a meeting's thread after it opened, each through recover-thread.ts: a lost
 * thread is recovered first when it can be, and a thread found unusable is recorded.
 */
import { requireMeeting, type MeetingContext } from './context.ts';
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
  return ctx.queue.run(key, async () => {
    const result = await withThread(ctx, await requireMeeting(ctx, key), (meeting) => postRevision(ctx, meeting, options.force ?? false));
    const meeting = result.compiled.meeting;
    if (result.posted && meeting.status === 'ended' && meeting.threadId !== undefined) await archiveAgain(ctx, meeting, meeting.threadId);
    return result;
  });
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
  await ctx.queue.run(key, async () => {
    const meeting = await requireMeeting(ctx, key);
    if (meeting.status === 'open' && meeting.threadLost !== undefined) await recoverThread(ctx, meeting);
  });
  try {
    return await sendReminder(ctx, key);
  } catch (error) {
    if (error instanceof ChannelUnavailableError) await ctx.queue.run(key, async () => markThreadLost(ctx, await requireMeeting(ctx, key), error));
    throw error;
  }
}
