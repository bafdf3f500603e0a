/** The meeting core when its thread is deleted or out of reach (the Discord port's ChannelUnavailableError), on the in-memory fake. */
import { afterEach, describe, expect, it } from 'vitest';
import { parseUpdate } from '../../src/notes/bullets.ts';
import { ChannelUnavailableError } from '../../src/meetings/port-errors.ts';
import { subject, TEXT, world, type World } from './helpers.ts';

let w: World;
afterEach(async () => {
  await w?.close();
});

const KEY = 'hackathon/2022-03-19';

async function openWithUpdate(): Promise<string> {
  const { meeting } = await w.service.openMeeting(w.series, '2022-03-19');
  await w.service.recordUpdate(KEY, { subject: subject('11', 'Ana'), update: parseUpdate('* ana one'), authorId: '11' });
  return meeting.threadId ?? '';
}

const postedIn = (channelId: string) => w.port.messages.filter((m) => m.channelId === channelId);

describe('a thread found deleted', () => {
  it('by /summary: a new thread for the same meeting, the welcome again, the notes there as the next revision, recorded for a restart', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const first = await openWithUpdate();
    expect((await w.service.postSummary(KEY)).revision).toBe(1);
    await w.service.recordUpdate(KEY, { subject: subject('12', 'Ben'), update: parseUpdate('* ben one'), authorId: '12' });
    w.port.refuse(first, 'gone');

    const result = await w.service.postSummary(KEY);
    const second = result.compiled.meeting.threadId ?? '';
    expect(second).not.toBe(first);
    expect(result).toMatchObject({ revision: 2, posted: true });
    expect(postedIn(second).map((m) => m.content.slice(0, 8))).toEqual(['Welcome!', '---\ndate']);
    expect(postedIn(second).at(-1)?.files?.[0]?.content).toContain('* ben one\n');
    const stored = await w.restart().getMeeting(KEY);
    expect(stored).toMatchObject({ threadId: second, previousThreadIds: [first], summaryRevision: 2 });
    expect(stored?.threadLost).toBeUndefined();
    expect(await w.store.meetings.byThread(second)).toBe(KEY);
  });

  it('by the Discord event: replaced at once and the text channel told; an ended meeting only marked, replaced by its next /summary and archived again', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const first = await openWithUpdate();
    w.port.refuse(first, 'gone');
    await w.service.threadDeleted(first);
    const second = (await w.service.getMeeting(KEY))?.threadId ?? '';
    expect(second).not.toBe(first);
    expect(postedIn(TEXT).map((m) => m.content)).toEqual([
      `The thread of the meeting of 2022-03-19 was deleted. The meeting goes on in <#${second}>; nothing given so far is lost.`,
    ]);
    // A thread that is not the meeting's (any more) changes nothing.
    await w.service.threadDeleted(first);
    await w.service.threadDeleted('999');
    expect(w.port.threads.filter((t) => t.name === 'Hackathon 2022-03-19')).toHaveLength(2);

    await w.service.endMeeting(KEY);
    w.port.refuse(second, 'gone');
    await w.service.threadDeleted(second);
    expect((await w.service.getMeeting(KEY))?.threadLost).toMatchObject({ problem: 'gone', channelId: second });
    expect(w.port.threads).toHaveLength(2);
    await w.service.recordUpdate(KEY, { subject: subject('12', 'Ben'), update: parseUpdate('* ben late'), authorId: '12' });
    const late = await w.service.postSummary(KEY);
    const third = late.compiled.meeting.threadId ?? '';
    expect(late).toMatchObject({ revision: 2, posted: true });
    expect(w.port.calls.slice(-2)).toEqual([`postMessage ${third}`, `archiveThread ${third}`]);
    expect(w.port.threads.find((t) => t.id === third)?.archived).toBe(true);
  });
});

describe('a thread Scribe may not post in', () => {
  it('/summary throws the reason, records it and no revision; once usable, the same thread gets revision 1', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const thread = await openWithUpdate();
    w.port.refuse(thread, 'no-access', ['Send Messages in Threads']);
    await expect(w.service.postSummary(KEY)).rejects.toBeInstanceOf(ChannelUnavailableError);
    const lost = await w.service.getMeeting(KEY);
    expect(lost).toMatchObject({ summaryRevision: 0, threadLost: { problem: 'no-access', channelId: thread, missing: ['Send Messages in Threads'] } });
    expect(lost?.summary).toBeUndefined();
    expect(await w.service.threadState(KEY)).toMatchObject({ state: 'lost' });

    w.port.unusable.clear();
    expect(await w.service.threadState(KEY)).toEqual({ state: 'recovered', threadId: thread });
    const result = await w.service.postSummary(KEY);
    expect(result).toMatchObject({ revision: 1, posted: true });
    expect(result.compiled.meeting.threadId).toBe(thread);
    expect(w.port.threads).toHaveLength(1);
  });

  it('the end: the meeting ends all the same, the text channel is told, the thread is left as it is', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const thread = await openWithUpdate();
    w.port.refuse(thread, 'no-access', ['Send Messages in Threads']);
    const ended = await w.service.endMeeting(KEY);
    expect(ended.meeting.status).toBe('ended');
    expect(ended.summary).toBeUndefined();
    expect(ended.threadProblem?.missing).toEqual(['Send Messages in Threads']);
    expect(ended.meeting.summaryRevision).toBe(0);
    expect(postedIn(TEXT)).toHaveLength(1);
    expect(w.port.calls).not.toContain(`archiveThread ${thread}`);
  });

  it('deleted, and no new thread may be created: recorded against the text channel; the reminder recovers once it may', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const first = await openWithUpdate();
    w.port.refuse(first, 'gone');
    w.port.refuse(TEXT, 'no-access', ['Create Public Threads']);
    await w.service.threadDeleted(first);
    expect((await w.service.getMeeting(KEY))?.threadLost).toMatchObject({ problem: 'gone', channelId: TEXT, missing: ['Create Public Threads'] });
    await expect(w.service.sendReminder(KEY)).rejects.toBeInstanceOf(ChannelUnavailableError);

    w.port.unusable.delete(TEXT);
    await w.service.sendReminder(KEY);
    const meeting = await w.service.getMeeting(KEY);
    expect(meeting?.threadId).not.toBe(first);
    expect(meeting?.threadLost).toBeUndefined();
    expect(postedIn(meeting?.threadId ?? '').map((m) => m.content.slice(0, 8))).toEqual(['Welcome!']);
  });
});
