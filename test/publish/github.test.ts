// The GitHub publisher with real Octokit (retry and throttling plugins) against the GitHub emulator.
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubPublisher } from '../../src/publish/github.ts';
import { PublishRefused } from '../../src/publish/publisher.ts';
import { BASE, BRANCH, PATH, REPO, ROUTES, UNIT_MS, notesRequest, startWorld, type World } from './github-helpers.ts';

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.gh.close();
});

const revision2 = notesRequest({ revision: 2, content: `${notesRequest().content}* bob: reviewed the PL031 PR\n` });

describe('publishing', () => {
  it('writes the file on a branch from base in one commit with the message and author, and opens one pull request into base', async () => {
    const request = notesRequest();
    const result = await w.publisher().publish(request);

    expect(w.repo.file(BRANCH, PATH)).toBe(request.content);
    const [commit, ...older] = w.repo.history(BRANCH);
    expect(commit?.sha).toBe(result.commit);
    expect(commit?.message).toBe(request.message);
    expect(commit?.author).toMatchObject(request.author);
    expect(commit?.committer).toMatchObject(request.author);
    expect(commit?.changed).toEqual([PATH]);
    // The branch starts at base's head: nothing of main's or anyone's beyond what base holds.
    expect(older[0]?.sha).toBe(w.repo.branches()[BASE]);
    expect(w.repo.pulls()).toEqual([expect.objectContaining({ number: 1, head: BRANCH, base: BASE, state: 'open', title: request.message.split('\n')[0] })]);
    expect(result).toEqual({
      commit: commit?.sha,
      changed: true,
      url: 'https://github.test/unikraft/meeting-notes/pull/1',
      pullRequest: { number: 1, url: 'https://github.test/unikraft/meeting-notes/pull/1' },
    });
    expect(w.repo.file(BASE, PATH)).toBeUndefined();
  });

  it('opens one pull request per meeting', async () => {
    const publisher = w.publisher();
    await publisher.publish(notesRequest());
    const other = notesRequest({ meetingKey: 'hackathon:2022-04-16', branch: 'notes/hackathon/2022-04-16', path: 'hackathons/2022/2022-04-16.md' });
    const result = await publisher.publish(other);
    expect(result.pullRequest?.number).toBe(2);
    expect(w.repo.pulls().map((p) => [p.number, p.head, p.state])).toEqual([
      [1, BRANCH, 'open'],
      [2, 'notes/hackathon/2022-04-16', 'open'],
    ]);
    expect(w.repo.files('notes/hackathon/2022-04-16')[PATH]).toBeUndefined();
  });

  it('revision 2 adds a second commit to the same branch and the same pull request', async () => {
    const publisher = w.publisher();
    const first = await publisher.publish(notesRequest());
    const second = await publisher.publish(revision2);
    expect(second.changed).toBe(true);
    expect(second.commit).not.toBe(first.commit);
    expect(second.pullRequest).toEqual(first.pullRequest);
    expect(w.repo.pulls()).toHaveLength(1);
    expect(w.notesCommits().map((c) => c.sha)).toEqual([second.commit, first.commit]);
    expect(w.repo.history(BRANCH)[0]?.parents).toEqual([first.commit]);
    expect(w.repo.file(BRANCH, PATH)).toBe(revision2.content);
  });

  it('commits nothing when the branch already holds the same file', async () => {
    const first = await w.publisher().publish(notesRequest());
    const puts = () => w.gh.requests().filter((r) => r.route === ROUTES.putContent).length;
    expect(puts()).toBe(1);
    const again = await w.publisher().publish(notesRequest({ revision: 2 }));
    expect(again).toEqual({ ...first, changed: false });
    expect(puts()).toBe(1);
    expect(w.notesCommits()).toHaveLength(1);
  });

  it("keeps someone else's commit on the branch: the revision goes on top, nothing is forced", async () => {
    const publisher = w.publisher();
    const first = await publisher.publish(notesRequest());
    const theirs = w.gh.pushAsSomeoneElse(REPO, { branch: BRANCH, path: PATH, content: '# edited by hand\n', message: 'Fix a typo' });
    const second = await publisher.publish(revision2);
    expect(
      w.repo
        .history(BRANCH)
        .map((c) => c.sha)
        .slice(0, 3),
    ).toEqual([second.commit, theirs, first.commit]);
    expect(w.repo.file(BRANCH, PATH)).toBe(revision2.content);
    expect(w.repo.pulls()).toHaveLength(1);
  });

  it('writes on top when someone pushes between its read and its write (409 for the stale sha, read again)', async () => {
    const publisher = w.publisher();
    await publisher.publish(notesRequest());
    let theirs = '';
    w.gh.beforeNext(ROUTES.putContent, () => {
      theirs = w.gh.pushAsSomeoneElse(REPO, { branch: BRANCH, path: PATH, content: '# edited meanwhile\n' });
    });
    const second = await publisher.publish(revision2);
    const puts = w.gh.requests().filter((r) => r.route === ROUTES.putContent);
    expect(puts.map((r) => r.status)).toEqual([201, 409, 200]);
    expect(w.repo.history(BRANCH)[0]).toMatchObject({ sha: second.commit, parents: [theirs] });
    expect(w.repo.file(BRANCH, PATH)).toBe(revision2.content);
  });

  it('opens a new pull request for a revision after the first one was merged', async () => {
    const publisher = w.publisher();
    await publisher.publish(notesRequest());
    w.gh.closePull(REPO, 1, { merge: true });
    const second = await publisher.publish(revision2);
    expect(second.pullRequest?.number).toBe(2);
    expect(w.repo.pulls().map((p) => [p.number, p.state, p.merged])).toEqual([
      [1, 'closed', true],
      [2, 'open', false],
    ]);
  });

  it('links the commit when base already holds the notes (no pull request to open)', async () => {
    const publisher = w.publisher();
    const first = await publisher.publish(notesRequest());
    w.gh.closePull(REPO, 1, { merge: true });
    const again = await publisher.publish(notesRequest());
    expect(again).toEqual({ commit: first.commit, changed: false, url: `https://github.test/${REPO}/commit/${first.commit}` });
    expect(w.repo.pulls()).toHaveLength(1);
  });
});

describe('a crash at each step, then publishing again with a fresh publisher', () => {
  // Each write is also crashed after GitHub applied it (the answer lost), the case a blind retry would duplicate.
  // The last column: whether the second run is the one that commits (false when the crashed run already had).
  const cases: [string, string, boolean, boolean][] = [
    ['reading the repository', ROUTES.repo, false, true],
    ['reading the branch', ROUTES.getRef, false, true],
    ['creating the branch', ROUTES.createRef, false, true],
    ['creating the branch (applied)', ROUTES.createRef, true, true],
    ['reading the file', ROUTES.getContent, false, true],
    ['writing the file', ROUTES.putContent, false, true],
    ['writing the file (applied)', ROUTES.putContent, true, false],
    ['listing pull requests', ROUTES.listPulls, false, false],
    ['opening the pull request', ROUTES.createPull, false, false],
    ['opening the pull request (applied)', ROUTES.createPull, true, false],
  ];

  it.each(cases)('%s: one pull request, the content committed once', async (_name, route, afterApplying, commitsOnRerun) => {
    const fault = w.gh.failNext(route, Infinity, { status: 500, afterApplying });
    const crashed = w.publisher({ retry: { retries: 0 } }).publish(notesRequest());
    await expect(crashed).rejects.toThrow(/GitHub publish of unikraft\/meeting-notes failed while/);
    await expect(crashed).rejects.not.toBeInstanceOf(PublishRefused);
    expect(fault.hits).toBe(1);
    fault.remove();

    const result = await w.publisher().publish(notesRequest());
    expect(w.repo.pulls()).toEqual([expect.objectContaining({ number: 1, head: BRANCH, base: BASE, state: 'open' })]);
    expect(w.notesCommits()).toHaveLength(1);
    expect(w.repo.file(BRANCH, PATH)).toBe(notesRequest().content);
    expect(result.pullRequest?.number).toBe(1);
    expect(result.changed).toBe(commitsOnRerun);
  });

  it('a crash while writing revision 2 ends with two commits and the same pull request', async () => {
    await w.publisher().publish(notesRequest());
    const fault = w.gh.failNext(ROUTES.putContent, 1, { status: 500, afterApplying: true });
    await expect(w.publisher({ retry: { retries: 0 } }).publish(revision2)).rejects.toThrow(/writing the file: 500/);
    expect(fault.hits).toBe(1);
    const result = await w.publisher().publish(revision2);
    expect(result.changed).toBe(false);
    expect(w.notesCommits()).toHaveLength(2);
    expect(w.repo.pulls()).toHaveLength(1);
    expect(w.repo.file(BRANCH, PATH)).toBe(revision2.content);
  });
});

describe('backoff', () => {
  const gapsAfterFailures = (route: string) => {
    const hits = w.gh.requests().filter((r) => r.route === route);
    return { statuses: hits.map((r) => r.status), gaps: hits.slice(1).map((r, i) => r.at - (hits[i]?.at ?? 0)) };
  };

  it('retries a 5xx with growing waits, and the publish succeeds', async () => {
    w.gh.failNext(ROUTES.putContent, 2, { status: 502 });
    const result = await w.publisher().publish(notesRequest());
    expect(result.changed).toBe(true);
    const { statuses, gaps } = gapsAfterFailures(ROUTES.putContent);
    expect(statuses).toEqual([502, 502, 201]);
    // plugin-retry waits (retry count)² × the unit: 1 then 4 units.
    expect(gaps[0]).toBeGreaterThanOrEqual(UNIT_MS * 1 - 2);
    expect(gaps[1]).toBeGreaterThanOrEqual(UNIT_MS * 4 - 2);
    expect(w.notesCommits()).toHaveLength(1);
  });

  it('gives up after its retries with an error worth retrying later, not a refusal', async () => {
    w.gh.failNext(ROUTES.getContent, Infinity, { status: 503 });
    const publish = w.publisher({ retry: { retries: 2 } }).publish(notesRequest());
    await expect(publish).rejects.toThrow('GitHub publish of unikraft/meeting-notes failed while writing the file: 503 Server Error');
    await expect(publish).rejects.not.toBeInstanceOf(PublishRefused);
    expect(gapsAfterFailures(ROUTES.getContent).statuses).toEqual([503, 503, 503]);
  });

  it('waits out a 403 primary rate limit until its reset, then goes on', async () => {
    w.gh.rateLimit(ROUTES.getContent, 1, { resetInSeconds: 2 });
    const result = await w.publisher().publish(notesRequest());
    expect(result.changed).toBe(true);
    const { statuses, gaps } = gapsAfterFailures(ROUTES.getContent);
    expect(statuses).toEqual([403, 404]);
    // The throttling plugin waits until the reset plus a second: at least 2 of GitHub's seconds.
    expect(gaps[0]).toBeGreaterThanOrEqual(UNIT_MS * 2 - 2);
    const warned = w.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'GitHub rate limit reached');
    expect(warned).toEqual([expect.objectContaining({ route: `GET ${ROUTES.getContent.slice(4)}`, retrying: true, retryCount: 0 })]);
  });

  it.each([403, 429] as const)('waits out a %i secondary rate limit for its retry-after, then goes on', async (status) => {
    w.gh.secondaryRateLimit(ROUTES.listPulls, 1, { retryAfter: 3, status });
    const result = await w.publisher().publish(notesRequest());
    expect(result.pullRequest?.number).toBe(1);
    const { statuses, gaps } = gapsAfterFailures(ROUTES.listPulls);
    expect(statuses).toEqual([status, 200]);
    expect(gaps[0]).toBeGreaterThanOrEqual(UNIT_MS * 3 - 2);
    expect(w.lines.some((l) => l.includes('"msg":"GitHub secondary rate limit reached"'))).toBe(true);
  });

  it('fails at once, to be retried later, when the rate limit resets later than it would wait', async () => {
    w.gh.rateLimit(ROUTES.repo, 1, { resetInSeconds: 3600 });
    const publish = w.publisher().publish(notesRequest());
    await expect(publish).rejects.toThrow(/reading the repository: 403 API rate limit exceeded/);
    await expect(publish).rejects.not.toBeInstanceOf(PublishRefused);
    expect(gapsAfterFailures(ROUTES.repo).statuses).toEqual([403]);
  });
});

describe('refusals and the token', () => {
  const wrongToken = 'ghp_wrong0123456789abcdefTOKEN';

  it('refuses bad credentials clearly, without the token in the error or the log', async () => {
    const publish = w.publisher({ token: wrongToken }).publish(notesRequest());
    await expect(publish).rejects.toBeInstanceOf(PublishRefused);
    const error = await publish.catch((e: unknown) => e);
    expect(String(error)).toContain('GitHub refused the token for unikraft/meeting-notes (401 Bad credentials');
    w.log.error({ err: error }, 'publish failed');
    // inspect() shows the cause too: Octokit's error with the request's headers, the authorization redacted.
    const shown = inspect(error, { depth: 10 });
    expect(shown).toContain('authorization');
    const everything = [shown, String(error), ...w.lines].join('\n');
    expect(w.lines.some((l) => l.includes('publish failed'))).toBe(true);
    expect(everything).not.toContain(wrongToken);
    expect(everything).not.toContain(wrongToken.slice(4, 20));
  });

  it('never logs the working token, through retries, rate limits and failures', async () => {
    w.gh.failNext(ROUTES.putContent, 1, { status: 502 });
    w.gh.rateLimit(ROUTES.listPulls, 1, { resetInSeconds: 1 });
    await w.publisher().publish(notesRequest());
    w.gh.failNext(undefined, Infinity, { status: 500 });
    const error = await w
      .publisher({ retry: { retries: 1 } })
      .publish(revision2)
      .catch((e: unknown) => e);
    w.log.error({ err: error }, 'publish failed');
    const shown = inspect(error, { depth: 10 });
    expect(shown).toContain("authorization: 'token [REDACTED]'");
    const everything = [shown, ...w.lines].join('\n');
    expect(everything).toContain('failed while reading the repository: 500 Server Error');
    expect(everything).toContain('"msg":"GitHub rate limit reached"');
    expect(everything).not.toContain(w.gh.token);
  });

  it('refuses a repository that does not exist or that the token cannot see (404)', async () => {
    await expect(w.publisher({ repository: 'unikraft/no-such-notes' }).publish(notesRequest())).rejects.toThrow(
      new PublishRefused('GitHub has no repository unikraft/no-such-notes, or the token cannot see it (404 Not Found - https://docs.github.com/rest)'),
    );
    w.gh.addToken('ghp_other', { login: 'other', repositories: ['unikraft/other'] });
    await expect(w.publisher({ token: 'ghp_other' }).publish(notesRequest())).rejects.toBeInstanceOf(PublishRefused);
    expect(w.repo.pulls()).toEqual([]);
  });

  it('refuses a read-only token at its first write, naming what it needs', async () => {
    w.gh.addToken('ghp_readonly', { login: 'reader', write: false });
    await expect(w.publisher({ token: 'ghp_readonly' }).publish(notesRequest())).rejects.toThrow(/GitHub refused creating the branch .* write access/);
  });

  it('refuses a repository that is not owner/name before any request', () => {
    const before = w.gh.requests().length;
    expect(() => w.publisher({ repository: 'meeting-notes' })).toThrow(new PublishRefused('GitHub repository "meeting-notes" is not of the form owner/name'));
    expect(w.gh.requests()).toHaveLength(before);
  });

  it('refuses a base branch that does not exist', async () => {
    const elsewhere = createGitHubPublisher({
      repository: REPO,
      base: 'no-such-base',
      token: w.gh.token,
      apiUrl: w.gh.url,
      log: w.log,
      retry: { unitMs: UNIT_MS },
    });
    await expect(elsewhere.publish(notesRequest())).rejects.toThrow(
      new PublishRefused('GitHub repository unikraft/meeting-notes has no branch "no-such-base" (the series\' publish.base)'),
    );
  });
});
