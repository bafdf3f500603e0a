import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { eventually, giveUpdate, lastNotesFile, run, startMeeting } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = h;
  h = undefined;
  await done?.close();
});

describe('scheduled meetings', () => {
  it("opens by cron at 09:00 Europe/Berlin on both sides of the 2022-03-27 change, with that day's offset", async () => {
    h = await startHarness({ now: '2022-03-26T08:00:00Z' });
    const task = h.bot.scheduler.task('hackathon');
    if (!task) throw new Error('no cron task for the series');

    await task.execute();
    const [first] = h.emu.threads(h.guild.textChannelId);
    expect(first?.name).toBe('Hackathon 2022-03-26');
    await giveUpdate(h, h.guild.members.alice, first?.id ?? '', '* before the change');
    await run(h, h.guild.members.maintainer, first?.id ?? '', 'summary');
    expect(lastNotesFile(h, first?.id ?? '')).toMatch(/^---\ndatetime: 2022-03-26T09:00:00\+01:00\n/);

    // The meeting ends after 240 minutes (12:00 UTC), then a week later, in summer time, 09:00 is 07:00 UTC.
    h.clock.set('2022-03-26T12:00:00Z');
    expect(h.timers.fireDue()).toBeGreaterThan(0);
    await eventually(() => h?.emu.channel(first?.id ?? '')?.thread?.archived === true);

    h.clock.set('2022-04-02T07:00:00Z');
    await task.execute();
    const second = h.emu.threads(h.guild.textChannelId).find((t) => t.name === 'Hackathon 2022-04-02');
    if (!second) throw new Error('second meeting not opened');
    await giveUpdate(h, h.guild.members.alice, second.id, '* after the change');
    await run(h, h.guild.members.maintainer, second.id, 'summary');
    expect(lastNotesFile(h, second.id)).toMatch(/^---\ndatetime: 2022-04-02T09:00:00\+02:00\n/);
    expect(h.emu.threads(h.guild.textChannelId)).toHaveLength(2);
  });

  it('a second trigger and a manual start open no second thread', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    await h.bot.scheduler.task('hackathon')?.execute();
    await h.bot.scheduler.task('hackathon')?.execute();
    const reply = await run(h, h.guild.members.maintainer, h.guild.textChannelId, 'meeting start');
    expect(reply.content).toMatch(/already open/);
    expect(h.emu.threads(h.guild.textChannelId)).toHaveLength(1);
  });

  it('keeps every update across a restart mid-meeting, opens no second thread, and still ends on time', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { alice, bob, carol } = h.guild.members;
    await giveUpdate(h, alice, thread, '* alice one\n* alice two');
    await giveUpdate(h, bob, thread, '* bob one');
    h.clock.advance(60 * 60_000);

    await h.restart();
    // Start-up inside the meeting's window catches up: the same meeting, no new thread.
    expect(h.emu.threads(h.guild.textChannelId)).toHaveLength(1);
    await giveUpdate(h, carol, thread, '* carol after the restart');
    expect(h.bot.scheduler.armed()).toContainEqual({ seriesId: 'hackathon', kind: 'end', at: new Date('2022-03-19T12:00:00Z') });

    h.clock.set('2022-03-19T12:00:00Z');
    h.timers.fireDue();
    await eventually(() => h?.emu.channel(thread)?.thread?.archived === true);
    const notes = lastNotesFile(h, thread);
    expect(notes).toContain('* alice one\n* alice two\n');
    expect(notes).toContain('* bob one\n');
    expect(notes).toContain('* carol after the restart\n');
    // `ended` is recorded once the archive has been answered, so a moment after the emulator archived.
    await eventually(async () => (await h?.store.meetings.get('hackathon/2022-03-19'))?.status === 'ended');
    const stored = await h.store.meetings.get('hackathon/2022-03-19');
    expect(stored?.status).toBe('ended');
    expect(stored?.endedAt).toBe('2022-03-19T12:00:00.000Z');
    // One summary revision, posted once.
    expect(h.emu.messages(thread).filter((m) => m.attachments.length > 0)).toHaveLength(1);
  });

  it('catches up on a meeting whose open was missed while the bot was down', async () => {
    h = await startHarness({ now: '2022-03-18T12:00:00Z' });
    expect(h.emu.threads(h.guild.textChannelId)).toHaveLength(0);
    h.clock.set('2022-03-19T09:30:00Z');
    await h.restart();
    const threads = h.emu.threads(h.guild.textChannelId);
    expect(threads.map((t) => t.name)).toEqual(['Hackathon 2022-03-19']);
  });
});

describe('updates', () => {
  it('loses nothing when two members submit at once, and the last of two simultaneous submissions wins', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { alice, bob } = h.guild.members;
    const asks = await Promise.all([alice, bob, alice].map((id) => h?.emu.slash(id, thread, 'update').waitForAck()));
    const [aliceModal, bobModal, aliceSecondModal] = asks.map((a) => String(a?.data?.custom_id));
    const submissions = [
      h.emu.submitModal(alice, thread, aliceModal ?? '', { bullets: '* alice first' }),
      h.emu.submitModal(bob, thread, bobModal ?? '', { bullets: '* bob' }),
      h.emu.submitModal(alice, thread, aliceSecondModal ?? '', { bullets: '* alice second' }),
    ];
    await Promise.all(submissions.map((s) => s.waitForAnswer()));
    const updates = await h.store.updates.list('hackathon/2022-03-19');
    expect(updates.map((u) => [u.userId, u.update.bullets.map((b) => b.text)]).sort()).toEqual(
      [
        [alice, ['alice second']],
        [bob, ['bob']],
      ].sort(),
    );
  });

  it('/update text adds one bullet to what the person gave; the modal is pre-filled with the current bullets', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { alice } = h.guild.members;
    await giveUpdate(h, alice, thread, '* reviewed a PR[1]\n  and left comments\n[1]: https://example.org/pr/1');
    const added = await run(h, alice, thread, 'update', { text: 'fixed issue[1]' });
    expect(added.content).toContain('Saved.');
    const ack = await h.emu.slash(alice, thread, 'update').waitForAck();
    const input = (ack.data?.components as { components: { value?: string }[] }[] | undefined)?.[0]?.components[0];
    expect(input?.value).toBe('* reviewed a PR[1]\n  and left comments\n* fixed issue[1]\n[1]: https://example.org/pr/1');
  });

  it('a preview too long for one message comes as the attached notes file, in the edit of the deferral', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { alice } = h.guild.members;
    const bullets = Array.from({ length: 40 }, (_, i) => `* bullet ${i} ${'of a long update '.repeat(3)}`);
    const reply = await giveUpdate(h, alice, thread, bullets.join('\n'));
    expect(reply.content).toBe('Saved. Your update, as it will appear in the notes:\n(Too long to show here: it is in the attached file.)');
    expect(reply.flags & 64).toBe(64);
    expect(reply.attachments).toHaveLength(1);
    const [file] = reply.attachments;
    expect(file?.filename).toMatch(/2022-03-19.*\.md$/);
    for (const bullet of bullets) expect(file?.text()).toContain(`${bullet.trimEnd()}\n`);
  });

  it('answers with when the next meeting opens when none is open here', async () => {
    h = await startHarness({ now: '2022-03-18T12:00:00Z' });
    const reply = await run(h, h.guild.members.alice, h.guild.textChannelId, 'update', { text: 'too early' });
    const nextOpen = Date.parse('2022-03-19T08:00:00Z') / 1000;
    expect(reply.content).toBe(`No meeting is open here right now. The next one opens <t:${nextOpen}:F> (<t:${nextOpen}:R>).`);
    expect(reply.flags & 64).toBe(64);
  });

  it('refuses an update that is too long, with a reason a person can act on, and keeps the earlier one', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { alice } = h.guild.members;
    await giveUpdate(h, alice, thread, '* the first version');
    const reply = await giveUpdate(h, alice, thread, Array.from({ length: 51 }, (_, i) => `* bullet ${i}`).join('\n'));
    expect(reply.content).toMatch(/51 bullets/);
    const stored = await h.store.updates.get('hackathon/2022-03-19', alice);
    expect(stored?.update.bullets.map((b) => b.text)).toEqual(['the first version']);
  });
});

describe('mentions', () => {
  it('the reminder pings exactly the attendees without an update; nothing else Scribe posts pings anyone', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z', series: { remindBeforeEndMinutes: 30 } });
    const thread = await startMeeting(h);
    const { alice, bob, carol } = h.guild.members;
    h.emu.voiceJoin(alice, h.guild.voiceChannelId);
    h.emu.voiceJoin(bob, h.guild.voiceChannelId);
    h.emu.voiceJoin(carol, h.guild.voiceChannelId);
    await eventually(async () => ((await h?.store.attendance.get('hackathon/2022-03-19'))?.attendees.length ?? 0) === 3);
    await giveUpdate(h, carol, thread, '* pinging <@' + alice + '> and @everyone in my update');
    await run(h, h.guild.members.maintainer, thread, 'summary');

    h.clock.set('2022-03-19T11:30:00Z');
    h.timers.fireDue();
    await eventually(() => h?.emu.messages(thread).some((m) => m.content.includes('please give your update')) ?? false);

    const posted = h.emu.messages(thread).filter((m) => m.authorId === h?.guild.botUserId);
    const pinging = posted.filter((m) => {
      const mentions = h?.emu.mentionsOf(m);
      return (mentions?.users.length ?? 0) > 0 || (mentions?.roles.length ?? 0) > 0 || mentions?.everyone === true;
    });
    expect(pinging).toHaveLength(1);
    expect(h.emu.mentionsOf(pinging[0] ?? '')).toMatchObject({ everyone: false, roles: [] });
    expect([...h.emu.mentionsOf(pinging[0] ?? '').users].sort()).toEqual([alice, bob].sort());
  });
});

describe('voice attendance', () => {
  it('makes participants of attendees present long enough, after everyone with an update, never of bots', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { alice, bob, carol, maintainer } = h.guild.members;
    const robot = h.emu.addMember(h.guild.guildId, { username: 'otherbot', bot: true });
    const key = 'hackathon/2022-03-19';
    const attendees = async () => (await h?.store.attendance.get(key))?.attendees.map((a) => a.userId) ?? [];

    h.emu.voiceJoin(alice, h.guild.voiceChannelId);
    h.emu.voiceJoin(robot, h.guild.voiceChannelId);
    await eventually(async () => (await attendees()).includes(alice));
    h.clock.advance(60_000);
    h.emu.voiceJoin(bob, h.guild.voiceChannelId);
    h.emu.voiceJoin(carol, h.guild.voiceChannelId);
    await eventually(async () => (await attendees()).length === 3);
    h.clock.advance(2 * 60_000);
    // Bob leaves after 2 minutes (under the 5-minute minimum); carol moves to another voice channel after 6.
    h.emu.voiceLeave(bob, h.guild.guildId);
    await eventually(async () => (await h?.store.attendance.get(key))?.attendees.find((a) => a.userId === bob)?.intervals[0]?.to !== undefined);
    h.clock.advance(4 * 60_000);
    h.emu.voiceMove(carol, h.guild.otherVoiceChannelId);
    await eventually(async () => (await h?.store.attendance.get(key))?.attendees.find((a) => a.userId === carol)?.intervals[0]?.to !== undefined);
    await run(h, maintainer, thread, 'name set', { name: 'TheMaintainer' });
    await giveUpdate(h, maintainer, thread, '* ran the meeting');
    h.clock.advance(10 * 60_000);

    expect(await attendees()).not.toContain(robot);
    const preview = await h.emu.slash(maintainer, thread, 'summary', { preview: true }).waitForAnswer();
    const notes = preview.attachments[0]?.text() ?? '';
    const participants = /participants:\n((?: {2}- .*\n)+)/.exec(notes)?.[1];
    // Names without /name set: alice's server nickname in the seeded guild, carol's username (she has no display name).
    expect(participants).toBe('  - TheMaintainer\n  - ȘtefanJ\n  - carol\n');
    expect(preview.flags & 64).toBe(64);
    expect(h.emu.messages(thread).filter((m) => m.attachments.length > 0)).toHaveLength(0);
  });
});
