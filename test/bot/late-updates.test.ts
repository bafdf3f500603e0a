// After a meeting has ended (its notes posted as revision 1, its thread archived), late updates still
// count: /summary in the thread posts revision 2, and archives the thread again (posting into an archived
// thread unarchives it on Discord).
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { eventually, giveUpdate, lastNotesFile, run, startMeeting, summaries } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  const done = h;
  h = undefined;
  await done?.close();
});

const KEY = 'hackathon/2022-03-19';

describe('late updates after the meeting has ended', () => {
  it('/meeting end posts revision 1; updates given in the archived thread make /summary post revision 2 with them', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const thread = await startMeeting(harness);
    const { alice, bob, carol, maintainer } = harness.guild.members;
    await giveUpdate(harness, alice, thread, '* on time');

    harness.clock.set('2022-03-19T10:00:00Z');
    const ended = await run(harness, maintainer, thread, 'meeting end');
    expect(ended.content).toBe('Ended the meeting of 2022-03-19; posted revision 1 of the notes and archived its thread.');
    expect(harness.emu.channel(thread)?.thread?.archived).toBe(true);
    const first = lastNotesFile(harness, thread);
    expect(first).not.toContain('late');

    // Late: one through the form, one with text:, both in the archived thread (answers are ephemeral).
    harness.clock.set('2022-03-19T14:00:00Z');
    const formAnswer = await giveUpdate(harness, bob, thread, '* late, through the form');
    expect(formAnswer.content).toMatch(/^Saved\. Your update, as it will appear in the notes:/);
    const textAnswer = await run(harness, carol, thread, 'update', { text: 'late, with text' });
    expect(textAnswer.content).toMatch(/^Saved\. Your update, as it will appear in the notes:/);
    expect(summaries(harness, thread)).toBe(1);
    expect((await harness.store.meetings.get(KEY))?.status).toBe('ended');

    const posted = await run(harness, maintainer, thread, 'summary');
    expect(posted.content).toMatch(/^Posted revision 2 of the notes in <#\d+> /);
    expect(summaries(harness, thread)).toBe(2);
    const second = lastNotesFile(harness, thread);
    expect(second).toContain('* on time\n');
    expect(second).toContain('* late, through the form\n');
    expect(second).toContain('* late, with text\n');
    // The meeting's time is the meeting's, not when the late summary was posted.
    expect(second.split('\n').slice(0, 2)).toEqual(first.split('\n').slice(0, 2));
    expect((await harness.store.meetings.get(KEY))?.status).toBe('ended');

    // Nothing new: no revision 3.
    const again = await run(harness, maintainer, thread, 'summary');
    expect(again.content).toMatch(/^Nothing changed since revision 2/);
    expect(summaries(harness, thread)).toBe(2);
  });

  it('posting revision 2 unarchived the thread (as Discord does): Scribe archives it again, and a /summary with nothing new leaves it archived', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const thread = await startMeeting(harness);
    const { alice, bob, maintainer } = harness.guild.members;
    await giveUpdate(harness, alice, thread, '* on time');
    await run(harness, maintainer, thread, 'meeting end');
    expect(harness.emu.channel(thread)?.thread?.archived).toBe(true);

    // THREAD_UPDATEs the bot was sent saying this thread is no longer archived.
    const unarchivings = () =>
      harness.emu.gatewayLog().filter((e) => {
        if (e.dir !== 'out' || e.t !== 'THREAD_UPDATE' || e.d === null || typeof e.d !== 'object' || Array.isArray(e.d)) return false;
        const meta = e.d['thread_metadata'];
        return e.d['id'] === thread && meta !== null && typeof meta === 'object' && !Array.isArray(meta) && meta['archived'] === false;
      }).length;
    const before = unarchivings();

    await run(harness, bob, thread, 'update', { text: 'late' });
    expect((await run(harness, maintainer, thread, 'summary')).content).toMatch(/^Posted revision 2 /);
    // The message unarchived it (Discord's THREAD_UPDATE); the last word must be Scribe's archive.
    expect(unarchivings()).toBeGreaterThan(before);
    await eventually(() => harness.emu.channel(thread)?.thread?.archived === true);
    expect((await harness.store.meetings.get(KEY))?.status).toBe('ended');

    expect((await run(harness, maintainer, thread, 'summary')).content).toMatch(/^Nothing changed since revision 2/);
    expect(harness.emu.channel(thread)?.thread?.archived).toBe(true);
  });

  it('after the end by the timer, a late update and /summary give revision 2 of the same meeting; a new meeting is not opened', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const thread = await startMeeting(harness);
    const { alice, bob, maintainer } = harness.guild.members;
    await giveUpdate(harness, alice, thread, '* on time');

    harness.clock.set('2022-03-19T12:00:00Z');
    expect(harness.timers.fireDue()).toBeGreaterThan(0);
    await eventually(async () => (await harness.store.meetings.get(KEY))?.status === 'ended');
    expect(harness.emu.channel(thread)?.thread?.archived).toBe(true);
    expect(summaries(harness, thread)).toBe(1);

    // A restart between the end and the late update changes nothing.
    await harness.restart();
    await run(harness, bob, thread, 'update', { text: 'late after a restart' });
    const posted = await run(harness, maintainer, thread, 'summary');
    expect(posted.content).toMatch(/^Posted revision 2 of the notes/);
    expect(lastNotesFile(harness, thread)).toContain('* late after a restart\n');
    expect(harness.emu.threads(harness.guild.textChannelId)).toHaveLength(1);
  });
});
