/** Which series and meeting a channel or a date is about. Reads only. */
import type { Series } from '../config.ts';
import { zonedParts } from '../notes/datetime.ts';
import type { MeetingContext } from './context.ts';
import type { MeetingRecord } from './records.ts';

/** The series whose text channel or voice channel this is. */
export function seriesForChannel(ctx: MeetingContext, channelId: string): Series | undefined {
  return ctx.series.find((s) => s.textChannel === channelId || s.voiceChannel === channelId);
}

/** Today's local date in the series' zone. */
export function localDateNow(ctx: MeetingContext, series: Series): string {
  return zonedParts(ctx.clock.now(), series.timeZone).date;
}

/** The series' meeting that is opening or open now, if any. */
export async function currentMeeting(ctx: MeetingContext, series: Series): Promise<MeetingRecord | undefined> {
  const state = await ctx.store.series.get(series.id);
  if (state?.currentMeetingKey === undefined) return undefined;
  const meeting = await ctx.store.meetings.get(state.currentMeetingKey);
  return meeting && meeting.status !== 'ended' ? meeting : undefined;
}

/**
 * The meeting a command in this channel is about: the meeting whose thread it is (open or ended: late
 * updates still count), else the open meeting of the series whose text or voice channel it is.
 */
export async function meetingForChannel(ctx: MeetingContext, channelId: string): Promise<MeetingRecord | undefined> {
  const key = await ctx.store.meetings.byThread(channelId);
  if (key !== undefined) return ctx.store.meetings.get(key);
  const series = seriesForChannel(ctx, channelId);
  return series ? currentMeeting(ctx, series) : undefined;
}
