/**
 * A meeting's thread after the meeting ended, under Discord's rule for archived threads (the emulator's
 * `archivedThreads`): a message sent into one unarchives it, an edit in one is refused (50083). A late
 * update is saved and answered, a late /summary posts the next revision, and the thread is archived
 * again once it is posted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { eventually, giveUpdate, lastNotesFile, run, startMeeting, summaries } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const KEY = 'hackathon/2022-03-19';

function archived(harness: Harness, threadId: string): boolean | undefined {
  return harness.emu.channel(threadId)?.thread?.archived;
}

/** The archived flag of each THREAD_UPDATE of the thread sent to the bot, in order. */
function archiveUpdates(harness: Harness, threadId: string): boolean[] {
  return harness.emu
    .gatewayLog()
    .filter((e) => e.dir === 'out' && e.t === 'THREAD_UPDATE')
    .map((e) => e.d as { id?: string; thread_metadata?: { archived?: boolean } })
    .filter((d) => d.id === threadId)
    .map((d) => d.thread_metadata?.archived === true);
}

describe('a late update and /summary after the meeting ended', () => {
  it('saves and answers late updates in the archived thread, posts revision 2 (unarchiving it) and archives it again', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    expect(h.emu.rules.archivedThreads).toBe(true);
    const { maintainer, alice, bob, carol } = h.guild.members;
    const thread = await startMeeting(h);
    await giveUpdate(h, alice, thread, '* alice during the meeting');
    const ended = await run(h, maintainer, thread, 'meeting end');
    expect(ended.content).toBe('Ended the meeting of 2022-03-19; posted revision 1 of the notes and archived its thread.');
    expect(archived(h, thread)).toBe(true);
    const messagesAtEnd = h.emu.messages(thread).length;

    // Late: the form and /update text, in the archived thread. The answers are ephemeral: the thread stays archived.
    const form = await giveUpdate(h, bob, thread, '* bob after the end');
    expect(form.content).toMatch(/^Saved\. Your update, as it will appear in the notes:\n```md\nBob B\n\* bob after the end\n```$/);
    const text = await run(h, carol, thread, 'update', { text: 'carol after the end' });
    expect(text.content).toMatch(/^Saved\. Your update/);
    expect((await h.store.updates.list(KEY)).map((u) => u.userId)).toEqual([alice, bob, carol]);
    expect(archived(h, thread)).toBe(true);
    expect(h.emu.messages(thread)).toHaveLength(messagesAtEnd);

    const posted = await run(h, maintainer, thread, 'summary');
    expect(posted.content).toMatch(new RegExp(`^Posted revision 2 of the notes in <#${thread}> \\(1 message, .+\\.md attached\\)\\.$`));
    const notes = lastNotesFile(h, thread);
    expect(notes).toContain('* alice during the meeting\n');
    expect(notes).toContain('* bob after the end\n');
    expect(notes).toContain('* carol after the end\n');
    expect(summaries(h, thread)).toBe(2);
    // The revision's message unarchived the thread (as Discord does), and Scribe archived it again.
    await eventually(() => archived(h as Harness, thread) === true);
    await eventually(() => archiveUpdates(h as Harness, thread).join() === 'true,false,true');
    const stored = await h.store.meetings.get(KEY);
    expect(stored?.status).toBe('ended');
    expect(stored?.summaryRevision).toBe(2);
    expect(stored?.summary?.completedAt).toBeDefined();

    // Nothing new: nothing posted, the thread left archived.
    const again = await run(h, maintainer, thread, 'summary');
    expect(again.content).toBe(`Nothing changed since revision 2, already posted in <#${thread}>.`);
    expect(summaries(h, thread)).toBe(2);
    expect(archived(h, thread)).toBe(true);
    expect(h.emu.violations()).toEqual([]);
  });

  it('after the scheduled end and a restart, a late /summary still archives the thread again; the notes name the late update', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, alice } = h.guild.members;
    const thread = await startMeeting(h);
    h.clock.set('2022-03-19T12:00:00Z');
    expect(h.timers.fireDue()).toBeGreaterThan(0);
    await eventually(async () => (await h?.store.meetings.get(KEY))?.status === 'ended');
    expect(archived(h, thread)).toBe(true);

    // The new process has no archived thread in its cache (GUILD_CREATE lists active threads only).
    await h.restart();
    h.clock.set('2022-03-19T15:00:00Z');
    await giveUpdate(h, alice, thread, '* alice, late');
    const posted = await run(h, maintainer, thread, 'summary');
    expect(posted.content).toMatch(/^Posted revision 2 of the notes/);
    expect(lastNotesFile(h, thread)).toContain('* alice, late\n');
    await eventually(() => archived(h as Harness, thread) === true);
    expect(h.emu.violations()).toEqual([]);
  });

  it('in the discussion layout: a late note, task and decision are saved and answered, and the thread is archived again after revision 2', async () => {
    h = await startHarness({
      now: '2022-03-23T07:30:00Z',
      series: {
        template: 'discussion',
        title: 'VMM WG',
        tags: ['vmm'],
        teams: ['vmm'],
        open: '30 8 * * 3',
        durationMinutes: 60,
        threadName: 'VMM WG {yyyy}-{mm}-{dd}',
        notesPath: 'vmm/{yyyy}-{mm}-{dd}.md',
      },
    });
    const { maintainer, alice, bob } = h.guild.members;
    const thread = await startMeeting(h);
    await run(h, alice, thread, 'update', { text: 'I looked at the allocator.' });
    await run(h, maintainer, thread, 'meeting end');
    expect(archived(h, thread)).toBe(true);

    const note = await run(h, bob, thread, 'update', { text: 'I forgot to say: the tests pass.' });
    expect(note.content).toMatch(/^Saved\. Your note, as it will appear in the notes:/);
    expect((await run(h, maintainer, thread, 'task', { owner: bob, text: 'send the patch' })).content).toMatch(/^Saved/);
    expect((await run(h, maintainer, thread, 'decision', { text: 'merge after review' })).content).toMatch(/^Saved/);
    expect(archived(h, thread)).toBe(true);

    expect((await run(h, maintainer, thread, 'summary')).content).toMatch(/^Posted revision 2 of the notes/);
    const notes = lastNotesFile(h, thread);
    expect(notes).toContain('the tests pass.');
    expect(notes).toContain('send the patch');
    expect(notes).toContain('merge after review');
    await eventually(() => archived(h as Harness, thread) === true);
    expect(h.emu.violations()).toEqual([]);
  });

  it('a late /summary preview posts nothing and leaves the thread archived', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, bob } = h.guild.members;
    const thread = await startMeeting(h);
    await run(h, maintainer, thread, 'meeting end');
    await giveUpdate(h, bob, thread, '* bob, late');
    const preview = await run(h, maintainer, thread, 'summary', { preview: true });
    expect(preview.content).toMatch(/^Preview of the notes \(1 blocks, /);
    expect(preview.attachments[0]?.text()).toContain('* bob, late\n');
    expect(summaries(h, thread)).toBe(1);
    expect(archived(h, thread)).toBe(true);
    expect(h.emu.violations()).toEqual([]);
  });
});
