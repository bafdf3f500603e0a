import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../bot/harness.ts';
import { expectedFromSeed, readExample, runSeedMeeting, seedPeople } from '../bot/seed-meeting.ts';
import { createFixture, type Fixture } from './git-fixture.ts';

const SEED = readExample('hackathon-2022-03-19.md');
const PATH = 'hackathons/2022/2022-03-19.md';
const SUBJECT = 'community: Add summary of meeting on March 19, 2022';
const ANSWER_MS = 30_000;

function publishTo(remote: string) {
  return { publish: { kind: 'git' as const, remote, branch: 'main', author: { name: 'Scribe', email: 'scribe@example.org' }, signOff: true } };
}

describe('the seed meeting published to a git repository, end to end', () => {
  let h: Harness | undefined;
  let fx: Fixture | undefined;
  afterEach(async () => {
    await h?.close();
    fx?.close();
    h = undefined;
    fx = undefined;
  });

  it('/meeting end commits hackathons/2022/2022-03-19.md equal to the notes; revision 2 is a second commit; unchanged is none', async () => {
    fx = createFixture();
    h = await startHarness({ now: '2022-03-19T07:55:00Z', series: publishTo(fx.bare) });
    const { emu, guild } = h;
    const { threadId, ids, names } = await runSeedMeeting(h);

    const end = await emu.slash(guild.members.maintainer, threadId, 'meeting end').waitForAnswer(undefined, ANSWER_MS);
    expect(end.content).toMatch(/^Ended the meeting of 2022-03-19; posted revision 1 of the notes and archived its thread\.\nPublished revision 1 to /);
    const expected = expectedFromSeed(SEED, names);
    const attached = emu
      .messages(threadId)
      .filter((m) => m.authorId === guild.botUserId)
      .at(-1)?.attachments[0];
    expect(attached?.text()).toBe(expected);
    expect(fx.show('main', PATH)).toBe(expected);
    const head = fx.git(fx.bare, 'rev-parse', 'main').trim();
    expect(end.content).toContain(head.slice(0, 12));
    expect(fx.git(fx.bare, 'log', '-1', '--format=%an <%ae>%n%B', 'main')).toBe(
      `Scribe <scribe@example.org>\n${SUBJECT}\n\nSigned-off-by: Scribe <scribe@example.org>\n\n`,
    );

    // A late update, then a maintainer publishes the new revision: a second commit on the same branch.
    const late = ids[0] as string;
    const ack = await emu.slash(late, threadId, 'update').waitForAck();
    await emu.submitModal(late, threadId, String(ack.data?.custom_id), { bullets: `${seedPeople(SEED)[0]?.typed ?? ''}\n* A late addition` }).waitForAnswer();
    const second = await emu.slash(guild.members.maintainer, threadId, 'summary', { publish: true }).waitForAnswer(undefined, ANSWER_MS);
    expect(second.content).toMatch(/^Posted revision 2 of the notes .*\nPublished revision 2 to /);
    expect(fx.log('main')).toEqual([SUBJECT, SUBJECT, 'Initial commit']);
    expect(fx.show('main', PATH)).toContain('* A late addition');

    const again = await emu.slash(guild.members.maintainer, threadId, 'summary', { publish: true }).waitForAnswer(undefined, ANSWER_MS);
    expect(again.content).toMatch(/^Nothing changed since revision 2/);
    expect(fx.log('main')).toHaveLength(3);

    const status = await emu.slash(guild.members.maintainer, threadId, 'meeting status').waitForAnswer();
    expect(status.content).toContain(`Published revision 2 to ${fx.bare} (main, ${PATH}): commit ${fx.git(fx.bare, 'rev-parse', 'main').trim().slice(0, 12)}`);
    expect(emu.violations()).toEqual([]);
  }, 120_000);

  it('an unreachable remote is reported and left pending; the next start publishes it, once', async () => {
    fx = createFixture();
    const later = join(fx.root, 'later.git');
    h = await startHarness({ now: '2022-03-19T07:55:00Z', series: publishTo(later) });
    const { emu, guild } = h;
    const { threadId, names } = await runSeedMeeting(h);

    const end = await emu.slash(guild.members.maintainer, threadId, 'meeting end').waitForAnswer(undefined, ANSWER_MS);
    expect(end.content).toContain('Publishing failed: revision 1 to');
    expect(end.content).toContain('not published yet (1 failed attempt');
    const status = await emu.slash(guild.members.maintainer, threadId, 'meeting status').waitForAnswer();
    expect(status.content).toContain('Pending: revision 1 to');
    expect(await h.store.publishes.pending()).toEqual(['hackathon/2022-03-19']);

    // The repository appears (empty); Scribe restarts and finishes the publish by itself.
    fx.git(fx.root, 'init', '-q', '--bare', later);
    await h.restart();
    await h.bot.resumed;
    expect(fx.git(later, 'show', `main:${PATH}`)).toBe(expectedFromSeed(SEED, names));
    expect(fx.git(later, 'log', '--format=%s', 'main').trim()).toBe(SUBJECT);
    expect(await h.store.publishes.pending()).toEqual([]);
    const record = await h.store.publishes.get('hackathon/2022-03-19');
    expect(record?.entries).toMatchObject([{ revision: 1, status: 'done', attempts: 1, changed: true }]);
    expect(record?.entries[0]?.content).toBeUndefined();
  }, 120_000);
});
