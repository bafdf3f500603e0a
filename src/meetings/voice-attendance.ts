/** Voice attendance of the open meetings: joins, leaves, and re-syncs after a reconnect or restart. */
import { whileClaimed } from './claim.ts';
import { join, leave } from './attendance.ts';
import { requireMeeting, seriesOf, type MeetingContext } from './context.ts';
import { currentMeeting } from './find-meeting.ts';
import type { VoiceMember } from './ports.ts';
import type { AttendeeRecord, MeetingKey } from './records.ts';

export interface VoiceChange {
  readonly guildId: string;
  readonly member: VoiceMember;
  /** Channel left (null: none). A move is a leave and a join. */
  readonly fromChannelId: string | null;
  readonly toChannelId: string | null;
}

/** A voice state change from the gateway: joins and leaves of any series' voice channel. */
export async function voiceStateChanged(ctx: MeetingContext, change: VoiceChange): Promise<void> {
  if (change.member.bot || change.fromChannelId === change.toChannelId) return;
  for (const series of ctx.series) {
    if (series.guild !== change.guildId) continue;
    const left = change.fromChannelId === series.voiceChannel;
    const joined = change.toChannelId === series.voiceChannel;
    if (!left && !joined) continue;
    const meeting = await currentMeeting(ctx, series);
    if (!meeting) continue;
    if (joined) await voiceJoin(ctx, meeting.key, change.member);
    else await voiceLeave(ctx, meeting.key, change.member.userId);
  }
}

export function voiceJoin(ctx: MeetingContext, key: MeetingKey, member: VoiceMember): Promise<void> {
  if (member.bot) return Promise.resolve();
  return whileRunning(ctx, key, (attendees, now) => join(attendees, [member], now));
}

export function voiceLeave(ctx: MeetingContext, key: MeetingKey, userId: string): Promise<void> {
  return whileRunning(ctx, key, (attendees, now) => leave(attendees, (id) => id === userId, now));
}

/**
 * Makes the record agree with who is in the voice channel now (after a reconnect or restart): those
 * present without an open interval join now, those recorded as present but gone leave now.
 */
export function syncAttendance(ctx: MeetingContext, key: MeetingKey): Promise<void> {
  return ctx.queue.run(key, async () => {
    const meeting = await requireMeeting(ctx, key);
    if (meeting.status === 'ended') return;
    await syncVoice(ctx, key, await ctx.port.voiceMembers(seriesOf(ctx, meeting).voiceChannel));
  });
}

/** The sync itself, for a caller already in the meeting's turn of the queue. */
export async function syncVoice(ctx: MeetingContext, key: MeetingKey, present: readonly VoiceMember[]): Promise<void> {
  const people = present.filter((m) => !m.bot);
  const ids = new Set(people.map((m) => m.userId));
  await editAttendance(ctx, key, (attendees, now) =>
    join(
      leave(attendees, (id) => !ids.has(id), now),
      people,
      now,
    ),
  );
}

/** Presence stops for everyone at `at` (the meeting's end). */
export function closeAttendance(ctx: MeetingContext, key: MeetingKey, at: string): Promise<void> {
  return editAttendance(ctx, key, (attendees) => leave(attendees, () => true, at));
}

type AttendanceEdit = (attendees: readonly AttendeeRecord[], now: string) => readonly AttendeeRecord[];

function whileRunning(ctx: MeetingContext, key: MeetingKey, edit: AttendanceEdit): Promise<void> {
  return ctx.queue.run(key, async () => {
    const meeting = await requireMeeting(ctx, key);
    if (meeting.status !== 'ended') await editAttendance(ctx, key, edit);
  });
}

/** Read, edit, write, holding the attendance's claim: another process's edit comes before or after, never lost. */
function editAttendance(ctx: MeetingContext, key: MeetingKey, edit: AttendanceEdit): Promise<void> {
  return whileClaimed(ctx, `attendance:${key}`, async () => {
    const now = ctx.clock.now().toISOString();
    const current = await ctx.store.attendance.get(key);
    const attendees = edit(current?.attendees ?? [], now);
    // The pure edits return the same array when nothing changed: no write then.
    if (current && attendees === current.attendees) return;
    await ctx.store.attendance.put({ meetingKey: key, attendees, updatedAt: now });
  });
}
