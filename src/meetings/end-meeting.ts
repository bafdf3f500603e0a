/**
 * Ending a meeting: presence closed, the final notes posted (unless unchanged since the last
 * revision), the thread archived, then `ended` recorded. Repeating any step after a crash is harmless.
 */
import { requireMeeting, saveMeeting, type MeetingContext } from './context.ts';
import { postRevision, type SummaryResult } from './post-notes.ts';
import type { MeetingKey, MeetingRecord } from './records.ts';
import { closeAttendance } from './voice-attendance.ts';

export function endMeeting(ctx: MeetingContext, key: MeetingKey): Promise<{ meeting: MeetingRecord; summary: SummaryResult | undefined }> {
  return ctx.queue.run(key, async () => {
    let meeting = await requireMeeting(ctx, key);
    if (meeting.status === 'ended') return { meeting, summary: undefined };
    const now = ctx.clock.now().toISOString();
    // Ended late (catching up after downtime): presence and the notes stop at the scheduled end.
    const endedAt = meeting.endedAt ?? (meeting.endsAt < now ? meeting.endsAt : now);
    await closeAttendance(ctx, key, endedAt);
    meeting = await saveMeeting(ctx, { ...meeting, endedAt });
    let summary: SummaryResult | undefined;
    const threadId = meeting.threadId;
    if (threadId !== undefined) {
      summary = await postRevision(ctx, meeting, false);
      meeting = summary.compiled.meeting;
      // Recorded as pending before `ended`: a crash from here on is finished at the next start.
      await ctx.publishing?.request(meeting, summary.compiled.text, summary.revision);
      await ctx.port.archiveThread(threadId);
    }
    meeting = await saveMeeting(ctx, { ...meeting, status: 'ended' });
    const state = await ctx.store.series.get(meeting.seriesId);
    if (state?.currentMeetingKey === key) {
      await ctx.store.series.put({ seriesId: meeting.seriesId, lastMeetingKey: key, updatedAt: now });
    }
    ctx.blocks.delete(key);
    ctx.log.info({ meeting: key }, 'meeting ended');
    return { meeting, summary };
  });
}
