// The seed meeting published through GitHub's API end to end: Scribe on the Discord emulator, Octokit on the GitHub emulator.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { startHarness, type Harness } from '../bot/harness.ts';
import { expectedFromSeed, readExample, runSeedMeeting, seedPeople } from '../bot/seed-meeting.ts';
import { BASE, BRANCH, PATH, REPO, ROUTES, startWorld, type World } from './github-helpers.ts';

const SEED = readExample('hackathon-2022-03-19.md');
const SUBJECT = 'community: Add summary of meeting on March 19, 2022';
const PULL = 'https://github.test/unikraft/meeting-notes/pull/1';
const ANSWER_MS = 30_000;
/** A token variable of its own, as a series may name one (tokenEnv). */
const TOKEN_ENV = 'NOTES_GITHUB_TOKEN';

describe('the seed meeting published to GitHub, end to end', () => {
  let h: Harness | undefined;
  let w: World | undefined;
  afterEach(async () => {
    await h?.close();
    await w?.gh.close();
    h = undefined;
    w = undefined;
  });

  it('/meeting end opens one pull request holding the notes; revision 2 is a second commit on it; a 5xx is retried, also one whose answer was lost; the token shows nowhere', async () => {
    w = await startWorld();
    const { gh, repo } = w;
    const lines: string[] = [];
    h = await startHarness({
      now: '2022-03-19T07:55:00Z',
      series: { publish: { kind: 'github', repository: REPO, base: BASE, tokenEnv: TOKEN_ENV, author: { name: 'Scribe', email: 'scribe@example.org' } } },
      env: { GITHUB_API_URL: gh.url },
      publishTokens: { [TOKEN_ENV]: gh.token },
      log: createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } }),
    });
    const { emu, guild } = h;
    const { threadId, ids, names } = await runSeedMeeting(h);

    // GitHub fails the file write once: Octokit's retry plugin writes again and the publish finishes.
    const fault = gh.failNext(ROUTES.putContent, 1, { status: 502 });
    const end = await emu.slash(guild.members.maintainer, threadId, 'meeting end').waitForAnswer(undefined, ANSWER_MS);
    expect(fault.hits).toBe(1);
    expect(
      gh
        .requests()
        .filter((r) => r.route === ROUTES.putContent)
        .map((r) => r.status),
    ).toEqual([502, 201]);
    expect(end.content).toContain(`Published revision 1 to github:${REPO} (${BRANCH}, ${PATH}): pull request #1 <${PULL}>`);

    const expected = expectedFromSeed(SEED, names);
    const attached = emu
      .messages(threadId)
      .filter((m) => m.authorId === guild.botUserId)
      .at(-1)?.attachments[0];
    expect(attached?.text()).toBe(expected);
    expect(repo.pulls()).toEqual([expect.objectContaining({ number: 1, head: BRANCH, base: BASE, state: 'open', title: SUBJECT })]);
    expect(repo.file(BRANCH, PATH)).toBe(expected);
    expect(repo.file(BASE, PATH)).toBeUndefined();
    const [first] = w.notesCommits();
    expect(w.notesCommits()).toHaveLength(1);
    expect(first?.message).toBe(SUBJECT);
    expect(first?.author).toMatchObject({ name: 'Scribe', email: 'scribe@example.org' });
    expect(first?.parents).toEqual([repo.branches()[BASE]]);

    // A late update, then a maintainer publishes revision 2: a second commit on the same branch, the same pull request.
    const late = ids[0] as string;
    const ack = await emu.slash(late, threadId, 'update').waitForAck();
    await emu.submitModal(late, threadId, String(ack.data?.custom_id), { bullets: `${seedPeople(SEED)[0]?.typed ?? ''}\n* A late addition` }).waitForAnswer();
    // GitHub applies the write but its answer is lost: the retry meets a 409, reads the file again and finds it written.
    const lost = gh.failNext(ROUTES.putContent, 1, { status: 502, afterApplying: true });
    const second = await emu.slash(guild.members.maintainer, threadId, 'summary', { publish: true }).waitForAnswer(undefined, ANSWER_MS);
    expect(second.content).toContain(`Published revision 2 to github:${REPO} (${BRANCH}, ${PATH}): pull request #1 <${PULL}>`);
    const revision2 = emu
      .messages(threadId)
      .filter((m) => m.authorId === guild.botUserId)
      .at(-1)?.attachments[0];
    expect(lost.hits).toBe(1);
    expect(revision2?.text()).toContain('* A late addition');
    expect(repo.file(BRANCH, PATH)).toBe(revision2?.text());
    expect(repo.pulls()).toHaveLength(1);
    expect(gh.requests().filter((r) => r.route === ROUTES.createPull && r.status === 201)).toHaveLength(1);
    const commits = w.notesCommits();
    expect(commits).toHaveLength(2);
    expect(commits[0]?.parents).toEqual([first?.sha]);

    const status = await emu.slash(guild.members.maintainer, threadId, 'meeting status').waitForAnswer();
    expect(status.content).toContain(`Published revision 2 to github:${REPO} (${BRANCH}, ${PATH}): pull request #1 <${PULL}>`);

    // The token: in no log line (the publisher did log, at info and below) and in nothing sent to Discord.
    expect(lines.some((line) => line.includes('notes published to GitHub'))).toBe(true);
    expect(lines.filter((line) => line.includes(gh.token))).toEqual([]);
    const sent = emu.requests().map((r) => JSON.stringify(r.body ?? null) + r.files.map((f) => f.bytes.toString('utf8')).join(''));
    expect(sent.some((text) => text.includes('A late addition'))).toBe(true);
    expect(sent.filter((text) => text.includes(gh.token))).toEqual([]);
    expect(emu.violations()).toEqual([]);
  }, 120_000);
});
