/**
 * Opening a meeting: its thread, the welcome message, attendance seeded from the voice channel.
 * Once across processes: only the holder of the meeting's claim (claim.ts) creates anything.
 * Idempotent across restarts: `opening` (and the series' current meeting) is recorded before the
 * thread is created; a thread created but not recorded is found again by name, and a welcome posted
 * but not recorded by its text, so no second thread or welcome is ever posted.
 */
import type { Series } from '../config.ts';
import { zonedParts } from '../notes/datetime.ts';
import { scheduledOpenOn } from '../schedule/calendar.ts';
import { findOwnMessage, MINUTE, saveMeeting, type MeetingContext } from './context.ts';
import { localDateNow } from './find-meeting.ts';
import { welcomeText } from './messages.ts';
import { claim, meetingClaim, type Lease } from './claim.ts';
import type { MeetingRecord } from './records.ts';
import { meetingKey, threadNameFor } from './templates.ts';
import { syncVoice } from './voice-attendance.ts';

/**
 * Opens the series' meeting of a local date (default: today in its zone). A second call, a concurrent
 * one or one after a restart returns the same meeting; an `opening` left by a crash is completed.
 */
export function openMeeting(ctx: MeetingContext, series: Series, localDate = localDateNow(ctx, series)): Promise<{ meeting: MeetingRecord; created: boolean }> {
  const key = meetingKey(series.id, localDate);
  return ctx.queue.run(key, async () => {
    const known = await ctx.store.meetings.get(key);
    if (known && known.status !== 'opening') return { meeting: known, created: false };
    // Across processes: one holds the meeting's claim and opens, the others wait for its record (claim.ts).
    const opened = async () => {
      const meeting = await ctx.store.meetings.get(key);
      return meeting && meeting.status !== 'opening' ? meeting : undefined;
    };
    const held = await claim(ctx, meetingClaim(key), opened);
    if ('settled' in held) return { meeting: held.settled, created: false };
    try {
      return await openClaimed(ctx, series, localDate, held.lease);
    } finally {
      await held.lease.release();
    }
  });
}

/** The opening itself, while this process holds the claim: `lease.confirm()` before each step that must happen once. */
async function openClaimed(ctx: MeetingContext, series: Series, localDate: string, lease: Lease): Promise<{ meeting: MeetingRecord; created: boolean }> {
  const key = meetingKey(series.id, localDate);
  // Read again under the claim: another process may have opened it meanwhile.
  let meeting = await ctx.store.meetings.get(key);
  if (meeting && meeting.status !== 'opening') return { meeting, created: false };
  const now = ctx.clock.now();
  // An opening begun by an earlier process, cut short: what it posted may be on Discord unrecorded.
  const resuming = meeting !== undefined;
  if (!meeting) {
    meeting = newMeeting(series, localDate, now);
    await lease.confirm();
    await ctx.store.meetings.put(meeting);
    // Current from the start, so that start-up completes an opening cut short by a crash even
    // outside a scheduled window (a meeting started by hand).
    const state = await ctx.store.series.get(series.id);
    await ctx.store.series.put({ ...state, seriesId: series.id, currentMeetingKey: key, updatedAt: now.toISOString() });
  }

  if (meeting.threadId === undefined) {
    // Only an opening cut short can have left a thread unrecorded. The look costs two requests of the
    // global 50 a second: 2,500 meetings opening at one minute made every thread wait 100 s.
    const found = resuming ? await ctx.port.findThreadByName(meeting.parentChannelId, meeting.threadName) : null;
    await lease.confirm();
    const threadId = found ?? (await ctx.port.createThread(meeting.parentChannelId, meeting.threadName));
    meeting = await saveMeeting(ctx, { ...meeting, threadId });
    await ctx.store.meetings.putThread(threadId, key);
    ctx.log.info({ meeting: key, threadId, reconciled: found !== null }, found ? 'meeting thread found again' : 'meeting thread created');
  }
  const threadId = meeting.threadId as string;

  if (meeting.voiceChannelName === undefined) {
    const name = await ctx.port.channelName(series.voiceChannel);
    if (name !== null) meeting = await saveMeeting(ctx, { ...meeting, voiceChannelName: name });
  }
  if (meeting.welcomeMessageId === undefined) {
    const content = welcomeText(meeting, series.template);
    const posted = resuming ? await findOwnMessage(ctx, threadId, content) : null;
    await lease.confirm();
    const messageId = posted ?? (await ctx.port.postMessage(threadId, { content, allowedUserMentions: [] }));
    meeting = await saveMeeting(ctx, { ...meeting, welcomeMessageId: messageId });
  }

  await syncVoice(ctx, meeting.key, await ctx.port.voiceMembers(series.voiceChannel));
  await lease.confirm();
  meeting = await saveMeeting(ctx, { ...meeting, status: 'open', openedAt: now.toISOString() });
  await ctx.store.series.put({ seriesId: series.id, currentMeetingKey: key, lastMeetingKey: key, updatedAt: now.toISOString() });
  ctx.log.info({ meeting: key }, 'meeting open');
  return { meeting, created: true };
}

function newMeeting(series: Series, localDate: string, now: Date): MeetingRecord {
  const scheduled = scheduledOpenOn(series, localDate);
  const opensAt = scheduled?.instant ?? now;
  let endsAt = new Date(opensAt.getTime() + series.durationMinutes * MINUTE);
  // Started by hand after the scheduled window: it still gets its full length.
  if (endsAt.getTime() <= now.getTime()) endsAt = new Date(now.getTime() + series.durationMinutes * MINUTE);
  return {
    key: meetingKey(series.id, localDate),
    seriesId: series.id,
    guildId: series.guild,
    localDate,
    status: 'opening',
    parentChannelId: series.textChannel,
    threadName: threadNameFor(series, localDate),
    opensAt: opensAt.toISOString(),
    endsAt: endsAt.toISOString(),
    // The instant's own local time: past a spring-forward gap it is not the expression's.
    opensAtLocalTime: zonedParts(opensAt, series.timeZone).time,
    openingStartedAt: now.toISOString(),
    summaryRevision: 0,
    updatedAt: now.toISOString(),
  };
}
