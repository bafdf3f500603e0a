/**
 * The reminder: one message mentioning the attendees who have not given an update, and only them.
 * At most once per meeting: the intent is recorded before posting, so a crash loses the reminder
 * rather than pinging people twice.
 */
import { meetingTurn } from './claim.ts';
import { requireMeeting, saveMeeting, type MeetingContext } from './context.ts';
import { reminderText } from './messages.ts';
import { compile } from './post-notes.ts';
import type { MeetingKey } from './records.ts';

export function sendReminder(ctx: MeetingContext, key: MeetingKey): Promise<{ sent: boolean; userIds: readonly string[] }> {
  // Across processes too: the other reads `reminderSentAt` once it holds the claim.
  return meetingTurn(ctx, key, async (lease) => {
    let meeting = await requireMeeting(ctx, key);
    const threadId = meeting.threadId;
    if (meeting.status !== 'open' || meeting.reminderSentAt !== undefined || threadId === undefined) return { sent: false, userIds: [] };
    const { roster, layout } = await compile(ctx, meeting);
    const userIds = roster.attendees.filter((a) => !a.hasUpdate).map((a) => a.userId);
    await lease.confirm();
    meeting = await saveMeeting(ctx, { ...meeting, reminderSentAt: ctx.clock.now().toISOString() });
    if (userIds.length === 0) return { sent: false, userIds };
    const messageId = await ctx.port.postMessage(threadId, { content: reminderText(meeting, userIds, layout), allowedUserMentions: userIds });
    await saveMeeting(ctx, { ...meeting, reminderMessageId: messageId });
    return { sent: true, userIds };
  });
}
