import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { expectedFromSeed, expectSplitAtBlocks, readExample, seedPeople } from './seed-meeting.ts';

const SEED = readExample('hackathon-2022-03-19.md');

describe('the seed meeting, end to end', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
    const done = h;
    h = undefined;
    await done?.close();
  });

  it('reproduces hackathon-2022-03-19.md from /name set, voice, /update modals and /summary', async () => {
    h = await startHarness({ now: '2022-03-19T07:55:00Z' });
    const { emu, guild } = h;
    const people = seedPeople(SEED);
    expect(people.map((p) => p.name)).toEqual([
      'RaduN',
      'ȘtefanJ',
      'AlexA',
      'Teo',
      'AndreiT',
      'PaulV',
      'Sergiu',
      'RăzvanD',
      'Gabi',
      'AndreiM',
      'AlexP',
      'DanU',
    ]);

    // The series opens at 09:00 Europe/Berlin: node-cron's job fires.
    expect(emu.threads(guild.textChannelId)).toHaveLength(0);
    h.clock.set('2022-03-19T08:00:00Z');
    await h.bot.scheduler.task('hackathon')?.execute();
    const [thread] = emu.threads(guild.textChannelId);
    expect(thread?.name).toBe('Hackathon 2022-03-19');
    if (!thread) throw new Error('no thread');

    const ids = people.map((p, i) => emu.addMember(guild.guildId, { username: `person${i}`, globalName: `Person ${i}` }));
    for (const [i, person] of people.entries()) {
      const id = ids[i] as string;
      const named = emu.slash(id, thread.id, 'name set', { name: person.name });
      expect((await named.waitForAnswer()).content).toContain(person.name);
      // Eleven of the twelve are in the voice channel; AndreiM gives an update without joining.
      if (person.name !== 'AndreiM') emu.voiceJoin(id, guild.voiceChannelId);
    }
    h.clock.advance(10 * 60_000);

    for (const [i, person] of people.entries()) {
      const id = ids[i] as string;
      const asked = emu.slash(id, thread.id, 'update');
      const ack = await asked.waitForAck();
      expect(ack.type).toBe(9);
      const customId = String(ack.data?.custom_id);
      const submitted = emu.submitModal(id, thread.id, customId, { bullets: person.typed });
      const reply = await submitted.waitForAnswer();
      expect(reply.content).toContain(`${person.name}\n`);
      expect(reply.flags & 64).toBe(64);
    }

    const summary = emu.slash(guild.members.maintainer, thread.id, 'summary');
    expect((await summary.waitForAnswer()).content).toMatch(/^Posted revision 1 of the notes/);

    const posted = emu.messages(thread.id).filter((m) => m.authorId === guild.botUserId);
    const notesMessages = posted.slice(1); // the first is the welcome message
    const file = notesMessages.at(-1)?.attachments[0];
    expect(file?.filename).toBe('2022-03-19.md');
    const expected = expectedFromSeed(
      SEED,
      people.map((p) => p.name),
    );
    expect(file?.text()).toBe(expected);
    // At most 5 messages, split between people; each exactly its part of the file, trimmed as Discord stores it.
    expect(notesMessages.length).toBeGreaterThanOrEqual(2);
    expect(notesMessages.length).toBeLessThanOrEqual(5);
    for (const m of notesMessages) expect(m.content.length).toBeLessThanOrEqual(2000);
    const parts = expectSplitAtBlocks(
      expected,
      notesMessages.map((m) => m.content),
      people.map((p) => p.name),
    );
    expect(parts.join('')).toBe(expected);
    expect(notesMessages.slice(0, -1).every((m) => m.attachments.length === 0)).toBe(true);
    for (const m of posted) expect(emu.mentionsOf(m)).toMatchObject({ users: [], roles: [], everyone: false });
    expect(emu.violations()).toEqual([]);
  });
});
