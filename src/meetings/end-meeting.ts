/**
 * Ending a meeting: presence closed, the final notes posted (unless unchanged since the last
 * revision), the thread archived, then `ended` recorded. Repeating any step after a crash is harmless.
 * A thread Scribe cannot use (deleted and not replaceable, or its permissions taken away) does not keep
 * the meeting open: it ends without its notes posted, the text channel is told, and a later /summary
 * posts them once the thread is recovered (recover-thread.ts).
 */
import { meetingTurn } from './claim.ts';
import { requireMeeting, saveMeeting, type MeetingContext } from './context.ts';
import { ChannelUnavailableError } from './port-errors.ts';
import { postRevision, type SummaryResult } from './post-notes.ts';
import type { MeetingKey, MeetingRecord } from './records.ts';
import { endedWithoutNotesText, tellTextChannel, withThread } from './recover-thread.ts';
import { forgetUnpostedRevision } from './thread-steps.ts';
import { closeAttendance } from './voice-attendance.ts';

export interface EndedMeeting {
  readonly meeting: MeetingRecord;
  readonly summary: SummaryResult | undefined;
  /** Why the notes were not posted and the thread not archived, when the thread could not be used. */
  readonly threadProblem?: ChannelUnavailableError;
}

export function endMeeting(ctx: MeetingContext, key: MeetingKey): Promise<EndedMeeting> {
  // Across processes: the other finds `ended` once it holds the claim (one final revision, one archive).
  return meetingTurn(ctx, key, async (lease) => {
    let meeting = await requireMeeting(ctx, key);
    if (meeting.status === 'ended') return { meeting, summary: undefined };
    const now = ctx.clock.now().toISOString();
    // Ended late (catching up after downtime): presence and the notes stop at the scheduled end.
    const endedAt = meeting.endedAt ?? (meeting.endsAt < now ? meeting.endsAt : now);
    await closeAttendance(ctx, key, endedAt);
    meeting = await saveMeeting(ctx, { ...meeting, endedAt });
    let summary: SummaryResult | undefined;
    let threadProblem: ChannelUnavailableError | undefined;
    if (meeting.threadId !== undefined) {
      try {
        summary = await withThread(ctx, meeting, async (usable) => {
          const posted = await postRevision(ctx, usable, false, lease);
          // Recorded as pending before `ended`: a crash from here on is finished at the next start.
          await ctx.publishing?.request(posted.compiled.meeting, posted.compiled.text, posted.revision);
          const threadId = posted.compiled.meeting.threadId;
          await lease.confirm();
          if (threadId !== undefined) await ctx.port.archiveThread(threadId);
          return posted;
        });
        meeting = summary.compiled.meeting;
      } catch (error) {
        if (!(error instanceof ChannelUnavailableError)) throw error;
        threadProblem = error;
        await forgetUnpostedRevision(ctx, meeting);
        meeting = await requireMeeting(ctx, key);
        await tellTextChannel(ctx, meeting, endedWithoutNotesText(meeting, error));
      }
    }
    await lease.confirm();
    meeting = await saveMeeting(ctx, { ...meeting, status: 'ended' });
    const state = await ctx.store.series.get(meeting.seriesId);
    if (state?.currentMeetingKey === key) {
      await ctx.store.series.put({ seriesId: meeting.seriesId, lastMeetingKey: key, updatedAt: now });
    }
    ctx.blocks.delete(key);
    ctx.log.info({ meeting: key, notesPosted: threadProblem === undefined }, 'meeting ended');
    return { meeting, summary, ...(threadProblem === undefined ? {} : { threadProblem }) };
  });
}
