import { afterEach, describe, expect, it } from 'vitest';
import { parseUpdate } from '../../src/notes/bullets.ts';
import { UserError } from '../../src/errors.ts';
import { BLOCKS_KEPT_MS } from '../../src/meetings/context.ts';
import { partsCarried } from '../notes/chunk-parts.ts';
import { hackathon, member, subject, TEXT, VOICE, world, type World } from './helpers.ts';

let w: World;
afterEach(async () => {
  await w?.close();
});

const KEY = 'hackathon/2022-03-19';

describe('openMeeting', () => {
  it('opens one thread, posts a welcome that pings nobody, seeds attendance without bots', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    w.port.voice.set(VOICE, [member('11', 'Ana'), member('12', 'Some Bot', { bot: true })]);
    const { meeting, created } = await w.service.openMeeting(w.series, '2022-03-19');
    expect(created).toBe(true);
    expect(meeting).toMatchObject({
      key: KEY,
      status: 'open',
      threadName: 'Hackathon 2022-03-19',
      opensAt: '2022-03-19T08:00:00.000Z',
      endsAt: '2022-03-19T12:00:00.000Z',
      opensAtLocalTime: '09:00:00',
      voiceChannelName: 'monkey-business',
    });
    expect(w.port.threads).toEqual([{ id: meeting.threadId, parentId: TEXT, name: 'Hackathon 2022-03-19', archived: false }]);
    expect(w.port.messages).toHaveLength(1);
    expect(w.port.messages[0]).toMatchObject({ channelId: meeting.threadId, allowedUserMentions: [] });
    const attendance = await w.store.attendance.get(KEY);
    expect(attendance?.attendees.map((a) => a.userId)).toEqual(['11']);
    expect(await w.service.meetingForChannel(meeting.threadId ?? '')).toMatchObject({ key: KEY });
    expect(await w.service.meetingForChannel(TEXT)).toMatchObject({ key: KEY });
  });

  it('never creates a second thread: concurrent calls, a second call, a restart', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const results = await Promise.all([
      w.service.openMeeting(w.series, '2022-03-19'),
      w.service.openMeeting(w.series, '2022-03-19'),
      w.service.openMeeting(w.series),
    ]);
    expect(results.map((r) => r.created)).toEqual([true, false, false]);
    const restarted = w.restart();
    const again = await restarted.openMeeting(w.series, '2022-03-19');
    expect(again.created).toBe(false);
    expect(w.port.threads).toHaveLength(1);
    expect(new Set([...results.map((r) => r.meeting.threadId), again.meeting.threadId]).size).toBe(1);
    expect(w.port.messages).toHaveLength(1);
  });

  it('after a crash between creating the thread and recording it, finds the thread by name', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    // What the store and Discord hold after such a crash.
    await w.store.meetings.put({
      key: KEY,
      seriesId: 'hackathon',
      guildId: w.series.guild,
      localDate: '2022-03-19',
      status: 'opening',
      parentChannelId: TEXT,
      threadName: 'Hackathon 2022-03-19',
      opensAt: '2022-03-19T08:00:00.000Z',
      endsAt: '2022-03-19T12:00:00.000Z',
      opensAtLocalTime: '09:00:00',
      openingStartedAt: '2022-03-19T08:00:00.000Z',
      summaryRevision: 0,
      updatedAt: '2022-03-19T08:00:00.000Z',
    });
    const existing = await w.port.createThread(TEXT, 'Hackathon 2022-03-19');
    const { meeting, created } = await w.restart().openMeeting(w.series, '2022-03-19');
    expect(created).toBe(true);
    expect(meeting.threadId).toBe(existing);
    expect(w.port.threads).toHaveLength(1);
  });

  it('a meeting started by hand late keeps the scheduled datetime and gets its full length', async () => {
    w = await world({ start: '2022-03-19T13:30:00Z' });
    const { meeting } = await w.service.openMeeting(w.series);
    expect(meeting.opensAtLocalTime).toBe('09:00:00');
    expect(meeting.endsAt).toBe('2022-03-19T17:30:00.000Z');
    expect((await w.service.compile(KEY)).notes.datetime).toBe('2022-03-19T09:00:00+01:00');
  });

  it('on a day without a scheduled open, the notes carry the actual open time', async () => {
    w = await world({ start: '2022-03-23T16:45:10Z' });
    const { meeting } = await w.service.openMeeting(w.series);
    expect(meeting.key).toBe('hackathon/2022-03-23');
    expect((await w.service.compile(meeting.key)).notes.datetime).toBe('2022-03-23T17:45:10+01:00');
  });
});

describe('updates', () => {
  it('two members at once and one member twice at once: nothing lost, last write wins', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await w.service.openMeeting(w.series, '2022-03-19');
    await Promise.all([
      w.service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate('first of Ana'), authorId: '1' }),
      w.service.recordUpdate(KEY, { subject: subject('2', 'Bo'), update: parseUpdate('only of Bo'), authorId: '2' }),
      w.service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate('second of Ana'), authorId: '1' }),
    ]);
    const list = await w.store.updates.list(KEY);
    expect(list.map((u) => [u.userId, u.update.bullets[0]?.text])).toEqual([
      ['1', 'second of Ana'],
      ['2', 'only of Bo'],
    ]);
  });

  it('of two forms handled out of order the later-submitted one stays; an addition keeps building on it', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await w.service.openMeeting(w.series, '2022-03-19');
    const form = (text: string, submissionId: string) =>
      w.service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate(text), authorId: '1', submissionId });
    await form('sent second', '1002');
    const late = await form('sent first', '1001');
    expect(late.record.update.bullets.map((b) => b.text)).toEqual(['sent second']);
    expect(late.preview).toBe('Ana\n* sent second\n');
    await w.service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate('added'), authorId: '1', mode: 'append' });
    await form('sent first, again', '1001');
    expect((await w.store.updates.get(KEY, '1'))?.update.bullets.map((b) => b.text)).toEqual(['sent second', 'added']);
    await form('sent third', '1003');
    expect((await w.store.updates.get(KEY, '1'))?.update.bullets.map((b) => b.text)).toEqual(['sent third']);
  });

  it('append adds a bullet and renames a colliding reference label', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await w.service.openMeeting(w.series, '2022-03-19');
    await w.service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate('* read pr[1]\n[1]: https://a.example/1'), authorId: '1' });
    const { record, preview } = await w.service.recordUpdate(KEY, {
      subject: subject('1', 'Ana'),
      update: parseUpdate('fixed issue[1]\n[1]: https://b.example/2'),
      authorId: '1',
      mode: 'append',
    });
    expect(record.update).toEqual({
      bullets: [
        { text: 'read pr[1]', continuation: [] },
        { text: 'fixed issue[2]', continuation: [] },
      ],
      references: [
        { label: '1', url: 'https://a.example/1' },
        { label: '2', url: 'https://b.example/2' },
      ],
    });
    expect(preview).toBe('Ana\n* read pr[1]\n* fixed issue[2]\n\n[1]: https://a.example/1\n[2]: https://b.example/2\n');
    expect(await w.service.currentUpdateText(KEY, '1')).toBe('* read pr[1]\n* fixed issue[2]\n[1]: https://a.example/1\n[2]: https://b.example/2');
  });

  it('the preview numbers labels as the file will, after the blocks above', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await w.service.openMeeting(w.series, '2022-03-19');
    await w.service.recordUpdate(KEY, {
      subject: subject('1', 'Ana'),
      update: parseUpdate('pr[1] and [2]\n[1]: https://a/1\n[2]: https://a/2'),
      authorId: '1',
    });
    const { preview } = await w.service.recordUpdate(KEY, { subject: subject('2', 'Bo'), update: parseUpdate('see [1]\n[1]: https://b/1'), authorId: '2' });
    expect(preview).toBe('Bo\n* see [3]\n\n[3]: https://b/1\n');
  });

  /** `text` given as `/update` by person `id` through `service`. */
  const give = (service: World['service'], id: string, name: string, text: string) =>
    service.recordUpdate(KEY, { subject: subject(id, name), update: parseUpdate(text), authorId: id });

  it('the preview follows removals, and a restarted service numbers from what the store holds', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await w.service.openMeeting(w.series, '2022-03-19');
    await give(w.service, '1', 'Ana', 'pr[1] and [2]\n[1]: https://a/1\n[2]: https://a/2');
    expect((await give(w.service, '2', 'Bo', 'see [1]\n[1]: https://b/1')).preview).toBe('Bo\n* see [3]\n\n[3]: https://b/1\n');
    await w.service.removeUpdate(KEY, '1');
    expect((await give(w.service, '2', 'Bo', 'see [1]\n[1]: https://b/2')).preview).toBe('Bo\n* see [1]\n\n[1]: https://b/2\n');
    const restarted = w.restart();
    expect((await give(restarted, '3', 'Cy', 'cf [1]\n[1]: https://c/1')).preview).toBe('Cy\n* cf [2]\n\n[2]: https://c/1\n');
  });

  it('the kept blocks are read again once BLOCKS_KEPT_MS old: a block another process wrote is numbered then', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await w.service.openMeeting(w.series, '2022-03-19');
    await give(w.service, '1', 'Ana', 'pr[1] and [2]\n[1]: https://a/1\n[2]: https://a/2');
    // Another process over the same store (the server moved to another shard and back).
    await give(w.restart(), '2', 'Bo', 'see [1]\n[1]: https://b/1');
    w.clock.advance(BLOCKS_KEPT_MS);
    expect((await give(w.service, '3', 'Cy', 'cf [1]\n[1]: https://c/1')).preview).toBe('Cy\n* cf [4]\n\n[4]: https://c/1\n');
  });

  it('refuses bots and unknown meetings with a UserError', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await expect(
      w.service.recordUpdate(KEY, { subject: { ...subject('9', 'Bot'), bot: true }, update: parseUpdate('x'), authorId: '9' }),
    ).rejects.toBeInstanceOf(UserError);
    await expect(w.service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate('x'), authorId: '1' })).rejects.toThrow(/no meeting/);
  });
});

describe('participants and names', () => {
  it('blocks in order of first update; then attendees present long enough in join order; bots never', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    w.port.voice.set(VOICE, [member('30', 'Early Listener')]);
    await w.service.openMeeting(w.series, '2022-03-19');
    const at = (minutes: number) => w.clock.set(Date.parse('2022-03-19T08:00:00Z') + minutes * 60_000);
    const voice = (m: ReturnType<typeof member>, from: string | null, to: string | null) =>
      w.service.voiceStateChanged({ guildId: w.series.guild, member: m, fromChannelId: from, toChannelId: to });

    at(1);
    await voice(member('31', 'Brief Visitor'), null, VOICE);
    await voice(member('32', 'Bot', { bot: true }), null, VOICE);
    await voice(member('2', 'Bo'), null, VOICE);
    at(3);
    await voice(member('31', 'Brief Visitor'), VOICE, '999'); // moved away after 2 minutes
    await w.service.recordUpdate('hackathon/2022-03-19', { subject: subject('2', 'Bo'), update: parseUpdate('b'), authorId: '2' });
    at(4);
    await voice(member('33', 'Late Stayer', { nick: 'Stayer' }), '999', VOICE);
    await w.service.recordUpdate('hackathon/2022-03-19', { subject: subject('1', 'Ana'), update: parseUpdate('a'), authorId: '1' });
    at(5);
    await w.service.recordUpdate('hackathon/2022-03-19', { subject: subject('2', 'Bo'), update: parseUpdate('b again'), authorId: '2' });
    at(6);
    await voice(member('31', 'Brief Visitor'), '999', VOICE); // back: 2 + 4 minutes later = 6 in total
    at(10);

    const compiled = await w.service.compile('hackathon/2022-03-19');
    if (compiled.layout !== 'activities') throw new Error('the hackathon series writes the activities layout');
    const { notes, roster } = compiled;
    expect(notes.blocks.map((b) => b.names[0])).toEqual(['Bo', 'Ana']);
    expect(notes.participants).toEqual(['Bo', 'Ana', 'Early Listener', 'Brief Visitor', 'Stayer']);
    expect(roster.attendees.map((a) => [a.name, Math.round(a.presenceMs / 60_000)])).toEqual([
      ['Early Listener', 10],
      ['Brief Visitor', 6],
      ['Bo', 9],
      ['Stayer', 6],
    ]);
    expect(roster.attendees.some((a) => a.userId === '32')).toBe(false);
  });

  it('someone present under minPresenceMinutes without an update is not a participant', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z', series: hackathon({ minPresenceMinutes: 5 }) });
    await w.service.openMeeting(w.series, '2022-03-19');
    await w.service.voiceJoin(KEY, member('40', 'Passer'));
    w.clock.advance(4 * 60_000 + 59_000);
    await w.service.voiceLeave(KEY, '40');
    w.clock.advance(60 * 60_000);
    expect((await w.service.compile(KEY)).notes.participants).toEqual([]);
    const status = await w.service.status(KEY);
    expect(status.withoutUpdate).toEqual([{ userId: '40', name: 'Passer', presenceMinutes: 4 }]);
  });

  it('/name set wins over the nickname, which wins over the display name', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await w.service.openMeeting(w.series, '2022-03-19');
    await w.service.recordUpdate(KEY, { subject: subject('1', 'display1'), update: parseUpdate('a'), authorId: '1' });
    await w.service.recordUpdate(KEY, { subject: subject('2', 'display2', 'nick2'), update: parseUpdate('b'), authorId: '2' });
    await w.service.recordUpdate(KEY, { subject: subject('3', 'display3', 'nick3'), update: parseUpdate('c'), authorId: '3' });
    await w.service.setName(w.series.guild, '3', '  Ștefan\u200BJ\n ');
    expect((await w.service.compile(KEY)).notes.participants).toEqual(['display1', 'nick2', 'ȘtefanJ']);
    expect(await w.service.nameOf(w.series.guild, '2', { nick: 'nick2', displayName: 'display2' })).toEqual({ name: 'nick2', source: 'nick' });
    await expect(w.service.setName(w.series.guild, '3', ' \u200B ')).rejects.toBeInstanceOf(UserError);
    await expect(w.service.setName(w.series.guild, '3', 'x'.repeat(200))).rejects.toThrow(/limit is 64/);
  });
});

describe('summary, reminder, end', () => {
  async function threeUpdates(): Promise<void> {
    await w.service.openMeeting(w.series, '2022-03-19');
    for (const [id, name] of [
      ['1', 'Ana'],
      ['2', 'Bo'],
      ['3', 'Cy'],
    ] as const) {
      const text = Array.from({ length: 6 }, (_, i) => `${name} did thing number ${i} with a reasonably long description`).join('\n');
      await w.service.recordUpdate(KEY, { subject: subject(id, name), update: parseUpdate(text), authorId: id });
    }
  }

  it('posts the notes split at blocks with the file on the last message, mentions nobody, and not twice', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z', messageLimit: 700 });
    await threeUpdates();
    const first = await w.service.postSummary(KEY);
    expect(first.posted).toBe(true);
    expect(first.revision).toBe(1);
    const posted = w.port.messages.slice(1);
    expect(posted.length).toBeGreaterThan(1);
    expect(posted.length).toBeLessThanOrEqual(5);
    // Each message is its part of the file, trimmed (as Discord stores it), split between people.
    const parts = partsCarried(
      first.compiled.text,
      posted.map((m) => m.content),
    );
    for (const part of parts.slice(1)) expect(part).toMatch(/^(Ana|Bo|Cy)\n/);
    expect(posted.every((m) => m.content.length <= 700 && m.allowedUserMentions?.length === 0)).toBe(true);
    expect(posted.slice(0, -1).every((m) => m.files === undefined)).toBe(true);
    expect(posted.at(-1)?.files).toEqual([{ name: '2022-03-19.md', content: first.compiled.text }]);
    expect(
      first.compiled.text.startsWith(
        '---\ndatetime: 2022-03-19T09:00:00+01:00\nlocation: Online, Discord (https://bit.ly/UnikraftDiscord), the `#monkey-business` voice channel\nteams:\n  - community\n',
      ),
    ).toBe(true);

    const again = await w.service.postSummary(KEY);
    expect(again).toMatchObject({ posted: false, revision: 1 });
    expect(w.port.messages.length).toBe(1 + posted.length);

    await w.service.recordUpdate(KEY, { subject: subject('4', 'Di'), update: parseUpdate('late'), authorId: '4' });
    const second = await w.service.postSummary(KEY);
    expect(second).toMatchObject({ posted: true, revision: 2 });
    expect(second.compiled.notes.participants).toEqual(['Ana', 'Bo', 'Cy', 'Di']);
    const forced = await w.service.postSummary(KEY, { force: true });
    expect(forced).toMatchObject({ posted: true, revision: 3 });
  });

  it('a summary cut short by a failure is completed, not posted again', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z', messageLimit: 700 });
    await threeUpdates();
    const before = w.port.messages.length;
    w.port.failPostAt = 2;
    await expect(w.service.postSummary(KEY)).rejects.toThrow('Discord is down');
    expect(w.port.messages.length).toBe(before + 1);
    const done = await w.restart().postSummary(KEY);
    expect(done.revision).toBe(1);
    const posted = w.port.messages.slice(before);
    expect(
      partsCarried(
        done.compiled.text,
        posted.map((m) => m.content),
      ),
    ).toHaveLength(done.messageIds.length);
    expect(done.messageIds).toEqual(posted.map((m) => m.id));
  });

  it('the reminder mentions only attendees without an update, once', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    w.port.voice.set(VOICE, [member('1', 'Ana'), member('2', 'Bo'), member('3', 'Cy')]);
    await w.service.openMeeting(w.series, '2022-03-19');
    await w.service.recordUpdate(KEY, { subject: subject('2', 'Bo'), update: parseUpdate('done @everyone <@1>'), authorId: '2' });
    w.clock.set('2022-03-19T11:30:00Z');
    expect(await w.service.sendReminder(KEY)).toEqual({ sent: true, userIds: ['1', '3'] });
    const reminder = w.port.messages.at(-1);
    expect(reminder?.allowedUserMentions).toEqual(['1', '3']);
    expect(reminder?.content).toBe('<@1> <@3> the meeting ends <t:1647691200:R>: please give your update with `/update` so it is in the notes.');
    expect(await w.service.sendReminder(KEY)).toEqual({ sent: false, userIds: [] });
    expect(w.port.messages.filter((m) => (m.allowedUserMentions?.length ?? 0) > 0)).toHaveLength(1);
  });

  it('ending posts the final notes, archives the thread, records ended; late updates make a new revision', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    w.port.voice.set(VOICE, [member('1', 'Ana')]);
    await w.service.openMeeting(w.series, '2022-03-19');
    await w.service.recordUpdate(KEY, { subject: subject('2', 'Bo'), update: parseUpdate('b'), authorId: '2' });
    w.clock.set('2022-03-19T12:30:00Z'); // ended half an hour late (after downtime)
    const { meeting, summary } = await w.service.endMeeting(KEY);
    expect(meeting).toMatchObject({ status: 'ended', endedAt: '2022-03-19T12:00:00.000Z' });
    expect(summary?.revision).toBe(1);
    expect(w.port.threads[0]?.archived).toBe(true);
    const attendance = await w.store.attendance.get(KEY);
    expect(attendance?.attendees[0]?.intervals).toEqual([{ from: '2022-03-19T08:00:00.000Z', to: '2022-03-19T12:00:00.000Z' }]);
    expect(await w.service.currentMeeting(w.series)).toBeUndefined();
    expect((await w.service.endMeeting(KEY)).summary).toBeUndefined();
    expect(w.port.calls.filter((c) => c.startsWith('archiveThread'))).toHaveLength(1);

    // The thread still finds its meeting; a late update lands and the next summary is revision 2.
    expect((await w.service.meetingForChannel(meeting.threadId ?? ''))?.status).toBe('ended');
    await w.service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate('late'), authorId: '1' });
    const late = await w.service.postSummary(KEY);
    expect(late).toMatchObject({ posted: true, revision: 2 });
    expect(late.compiled.notes.participants).toEqual(['Bo', 'Ana']);
  });
});
