/**
 * /summary of a meeting of any size stays within Discord's per-channel limit (about 5 messages per 5 s)
 * without looking broken: notes that fit are at most 5 messages split between people, the `.md` on the
 * last; a 200-person meeting is one short message with the file. The emulator's rules are on (rate
 * limits, the channel's message limit, trimmed content).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../emulator/index.ts';
import { startHarness, type Harness } from './harness.ts';
import { gatherCrowd, type CrowdPerson } from './seed-meeting-crowd.ts';
import { expectSplitAtBlocks } from './seed-meeting.ts';
import { run, startMeeting } from './steps.ts';

const KEY = 'hackathon/2022-03-19';
const LIMIT = 2000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The bot's messages in the thread after the welcome message. */
function notesMessages(harness: Harness, threadId: string): StoredMessage[] {
  return harness.emu
    .messages(threadId)
    .filter((m) => m.authorId === harness.guild.botUserId)
    .slice(1);
}

/** Each person's block occurs once in the file, as the notes write it. */
function expectEveryone(file: string, people: readonly CrowdPerson[]): void {
  for (const p of people) expect(file.split(`\n${p.name}\n${p.update}\n`)).toHaveLength(2);
}

async function meeting(): Promise<{ harness: Harness; threadId: string }> {
  const harness = await startHarness({ now: '2022-03-19T08:00:00Z', voice: false });
  h = harness;
  expect(harness.emu.rules).toMatchObject({ trimContent: true, rateLimits: true, channelMessageRateLimit: true });
  return { harness, threadId: await startMeeting(harness) };
}

describe('/summary within Discord per-channel message limit', { timeout: 60_000 }, () => {
  it('notes that fit in 5 messages: split between people, each message its part of the file trimmed, the .md on the last', async () => {
    const { harness, threadId } = await meeting();
    const people = await gatherCrowd(harness, KEY, 20, { bullets: 3, bulletLength: 90 });
    harness.clock.advance(10 * 60_000);

    const answer = await run(harness, harness.guild.members.maintainer, threadId, 'summary');
    const messages = notesMessages(harness, threadId);
    expect(answer.content).toBe(`Posted revision 1 of the notes in <#${threadId}> (${messages.length} messages, 2022-03-19.md attached).`);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.length).toBeLessThanOrEqual(5);
    const file = messages.at(-1)?.attachments[0];
    expect(file?.filename).toBe('2022-03-19.md');
    const text = file?.text() ?? '';
    expectEveryone(text, people);
    expect(messages.slice(0, -1).every((m) => m.attachments.length === 0)).toBe(true);
    for (const m of messages) expect(m.content.length).toBeLessThanOrEqual(LIMIT);
    const parts = expectSplitAtBlocks(
      text,
      messages.map((m) => m.content),
      people.map((p) => p.name),
    );
    expect(parts.join('')).toBe(text);
    // The notes need more than one message: the split itself is under test.
    expect(text.length).toBeGreaterThan(LIMIT);

    const again = await run(harness, harness.guild.members.maintainer, threadId, 'summary');
    expect(again.content).toBe(`Nothing changed since revision 1, already posted in <#${threadId}>.`);
    expect(notesMessages(harness, threadId)).toHaveLength(messages.length);
    expect(harness.emu.violations()).toEqual([]);
  });

  it('a 200-person meeting: one short message (how many gave updates and attended, the first lines) with the .md attached', async () => {
    const { harness, threadId } = await meeting();
    const people = await gatherCrowd(harness, KEY, 200, { bullets: 2, bulletLength: 60 });
    harness.clock.advance(10 * 60_000);

    const answer = await run(harness, harness.guild.members.maintainer, threadId, 'summary');
    expect(answer.content).toBe(`Posted revision 1 of the notes in <#${threadId}> (1 message, 2022-03-19.md attached).`);
    const messages = notesMessages(harness, threadId);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    if (!message) throw new Error('no notes message');
    const file = message.attachments[0];
    expect(file?.filename).toBe('2022-03-19.md');
    const text = file?.text() ?? '';
    expectEveryone(text, people);
    expect(text.length).toBeGreaterThan(5 * LIMIT);

    const intro =
      '200 people gave an update, 200 people attended. The notes are too long for 5 messages, so they are in 2022-03-19.md, attached; they begin:\n\n';
    expect(message.content.startsWith(intro)).toBe(true);
    expect(message.content.length).toBeLessThanOrEqual(LIMIT);
    // The first lines of the notes (after the front matter), exactly as the file has them, whole lines.
    const excerpt = message.content.slice(intro.length);
    const bodyStart = text.indexOf('\n---\n', 4) + '\n---\n'.length;
    expect(text.slice(bodyStart).trimStart().startsWith(excerpt)).toBe(true);
    expect(excerpt.startsWith('## Summary of Activities\n\nPerson 000\n* person 0 item 1:')).toBe(true);
    expect(text.charAt(text.indexOf(excerpt) + excerpt.length)).toBe('\n');
    expect(harness.emu.violations()).toEqual([]);
  });
});
