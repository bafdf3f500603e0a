// The reminder before a meeting's end is sent once, whether the bot restarts before it or after it.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { eventually, giveUpdate, startMeeting } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  const done = h;
  h = undefined;
  await done?.close();
});

const KEY = 'hackathon/2022-03-19';
const REMINDER = 'please give your update';

const reminders = (harness: Harness, thread: string) => harness.emu.messages(thread).filter((m) => m.content.includes(REMINDER));

/** A meeting with alice, bob and carol in voice, carol's update given; the reminder 30 minutes before the end (11:30 UTC). */
async function meetingWithAttendees(): Promise<{ harness: Harness; thread: string }> {
  h = await startHarness({ now: '2022-03-19T08:00:00Z', series: { remindBeforeEndMinutes: 30 } });
  const harness = h;
  const thread = await startMeeting(harness);
  const { alice, bob, carol } = harness.guild.members;
  for (const id of [alice, bob, carol]) harness.emu.voiceJoin(id, harness.guild.voiceChannelId);
  await eventually(async () => ((await harness.store.attendance.get(KEY))?.attendees.length ?? 0) === 3);
  await giveUpdate(harness, carol, thread, '* done early');
  return { harness, thread };
}

describe('the reminder across a restart', () => {
  it('sent before a restart: the new bot does not send it again, and the meeting still ends', async () => {
    const { harness, thread } = await meetingWithAttendees();
    const { alice, bob } = harness.guild.members;
    harness.clock.set('2022-03-19T11:30:00Z');
    expect(harness.timers.fireDue()).toBeGreaterThan(0);
    await eventually(() => reminders(harness, thread).length === 1);
    expect([...harness.emu.mentionsOf(reminders(harness, thread)[0] ?? '').users].sort()).toEqual([alice, bob].sort());
    expect((await harness.store.meetings.get(KEY))?.reminderSentAt).toBe('2022-03-19T11:30:00.000Z');

    harness.clock.set('2022-03-19T11:40:00Z');
    await harness.restart();
    // Only the end is armed again.
    // The schedule's own look-ahead to the next open (clock-change days) is not this meeting's.
    expect(harness.bot.scheduler.armed().filter((a) => a.seriesId === 'hackathon' && a.kind !== 'look-ahead')).toEqual([
      { seriesId: 'hackathon', kind: 'end', at: new Date('2022-03-19T12:00:00Z') },
    ]);
    harness.clock.set('2022-03-19T12:00:00Z');
    harness.timers.fireDue();
    await eventually(async () => (await harness.store.meetings.get(KEY))?.status === 'ended');
    expect(reminders(harness, thread)).toHaveLength(1);
  });

  it('due after a restart: the new bot arms it from the store and sends it once', async () => {
    const { harness, thread } = await meetingWithAttendees();
    harness.clock.set('2022-03-19T10:00:00Z');
    await harness.restart();
    expect(harness.bot.scheduler.armed()).toContainEqual({ seriesId: 'hackathon', kind: 'reminder', at: new Date('2022-03-19T11:30:00Z') });

    harness.clock.set('2022-03-19T11:30:00Z');
    expect(harness.timers.fireDue()).toBeGreaterThan(0);
    await eventually(() => reminders(harness, thread).length === 1);
    // Triggered again (as a second timer would): still one.
    const [series] = harness.config.series;
    if (!series) throw new Error('no series');
    await harness.bot.scheduler.onReminder(series, KEY);
    // And a restart after it, before the end, arms no reminder again.
    harness.clock.set('2022-03-19T11:45:00Z');
    await harness.restart();
    expect(
      harness.bot.scheduler
        .armed()
        .map((a) => a.kind)
        .filter((kind) => kind !== 'look-ahead'),
    ).toEqual(['end']);
    expect(reminders(harness, thread)).toHaveLength(1);
  });
});
