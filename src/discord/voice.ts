import { Events, type Client, type VoiceState } from 'discord.js';
import type { Logger } from '../log.ts';
import type { MeetingService } from '../meetings/service.ts';
import { identityOf } from './port.ts';

/**
 * Voice attendance: every join, move and leave of a series' voice channel goes to the meeting core.
 * After a later fresh session (IDENTIFY, not RESUME: voice events may have been missed) the attendance
 * of every running meeting is re-read from the guild's voice states; at start-up the schedule's
 * catch-up does that once already.
 */
export function trackVoice(client: Client, service: MeetingService, log: Logger): void {
  client.on(Events.VoiceStateUpdate, (before: VoiceState, after: VoiceState) => {
    const member = after.member ?? before.member;
    if (!member) return;
    service
      .voiceStateChanged({
        guildId: after.guild.id,
        member: { userId: member.id, ...identityOf(member), bot: member.user.bot },
        fromChannelId: before.channelId,
        toChannelId: after.channelId,
      })
      .catch((error: unknown) => log.error({ err: error, userId: member.id }, 'voice attendance not recorded'));
  });

  client.once(Events.ClientReady, () => {
    client.on(Events.ShardReady, () => void resyncAttendance(service, log));
  });
}

export async function resyncAttendance(service: MeetingService, log: Logger): Promise<void> {
  for (const series of service.series) {
    try {
      const meeting = await service.currentMeeting(series);
      if (meeting?.status === 'open') await service.syncAttendance(meeting.key);
    } catch (error) {
      log.error({ err: error, series: series.id }, 'attendance re-sync failed');
    }
  }
}
