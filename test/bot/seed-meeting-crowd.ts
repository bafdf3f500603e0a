/**
 * A meeting of many people, for how /summary posts notes of any size: `count` new members join the
 * voice channel (through the emulator's gateway) and each gives an update. The updates go to the
 * meeting service directly: typing hundreds of forms would make a test or benchmark of /summary one of
 * /update (test/bot/seed-meeting.test.ts types them).
 */
import { parseUpdate } from '../../src/notes/bullets.ts';
import type { Harness } from './harness.ts';

export interface CrowdPerson {
  readonly userId: string;
  /** The notes name (the member's display name). */
  readonly name: string;
  /** The update, as the notes write it (bullets, one a line). */
  readonly update: string;
}

/** `bullets` bullets of about `bulletLength` characters for person `i`. */
function updateOf(i: number, bullets: number, bulletLength: number): string {
  return Array.from({ length: bullets }, (_, b) => {
    const start = `* person ${i} item ${b + 1}:`;
    return `${start} ${'worked on the scheduler and its tests '
      .repeat(Math.ceil(bulletLength / 38))
      .slice(0, Math.max(0, bulletLength - start.length - 1))
      .trim()}`;
  }).join('\n');
}

export async function gatherCrowd(h: Harness, key: string, count: number, options: { bullets: number; bulletLength: number }): Promise<CrowdPerson[]> {
  const people: CrowdPerson[] = [];
  for (let i = 0; i < count; i++) {
    const name = `Person ${String(i).padStart(3, '0')}`;
    const userId = h.emu.addMember(h.guild.guildId, { username: `person${i}`, globalName: name });
    h.emu.voiceJoin(userId, h.guild.voiceChannelId);
    people.push({ userId, name, update: updateOf(i, options.bullets, options.bulletLength) });
  }
  // Attendance is recorded as the gateway's voice events arrive (no vitest here: the benchmark uses this too).
  for (const until = Date.now() + 15_000; ((await h.store.attendance.get(key))?.attendees.length ?? 0) < count;) {
    if (Date.now() > until) throw new Error(`fewer than ${count} attendees recorded within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const p of people) {
    await h.bot.service.recordUpdate(key, {
      subject: { userId: p.userId, identity: { displayName: p.name } },
      update: parseUpdate(p.update),
      authorId: p.userId,
    });
  }
  return people;
}
