// The GitHub emulator itself, driven by a plain Octokit (no retry, no throttling) so every answer is seen as sent.
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator, type RepositoryView } from './index.ts';

const REPO = 'octo/notes';
const repo = { owner: 'octo', repo: 'notes' };
let gh: GitHubEmulator;
let view: RepositoryView;
let octokit: Octokit;
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const client = (token: string) => new Octokit({ auth: token, baseUrl: gh.url, log: quiet });

beforeEach(async () => {
  gh = await startGitHubEmulator();
  view = gh.addRepository(REPO, { defaultBranch: 'main', files: { 'README.md': 'hello\n' } });
  octokit = client(gh.token);
});
afterEach(async () => {
  await gh.close();
});

/** The status and message of a request that fails; the test fails if it does not. */
async function refusal(request: Promise<unknown>): Promise<{ status: number; message: string; headers: Record<string, unknown> }> {
  try {
    await request;
  } catch (error) {
    const e = error as { status: number; message: string; response?: { headers: Record<string, unknown> } };
    return { status: e.status, message: e.message, headers: e.response?.headers ?? {} };
  }
  throw new Error('the request succeeded');
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('auth and visibility', () => {
  it('answers 401 Bad credentials to a wrong token and Requires authentication to none, accepting token and Bearer', async () => {
    const wrong = client('ghp_wrong');
    expect(await refusal(wrong.rest.repos.get(repo))).toMatchObject({ status: 401, message: expect.stringContaining('Bad credentials') });
    const none = await fetch(`${gh.url}/repos/${REPO}`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toBe('Requires authentication');
    const bearer = await fetch(`${gh.url}/repos/${REPO}`, { headers: { authorization: `Bearer ${gh.token}` } });
    expect(bearer.status).toBe(200);
    expect((await octokit.rest.repos.get(repo)).data).toMatchObject({ full_name: REPO, default_branch: 'main', html_url: `https://github.test/${REPO}` });
  });

  it('hides a repository the token cannot see behind 404 and refuses writes to a read-only token with 403', async () => {
    gh.addToken('ghp_elsewhere', { login: 'x', repositories: ['octo/other'] });
    gh.addToken('ghp_reader', { login: 'reader', write: false });
    const elsewhere = client('ghp_elsewhere');
    expect((await refusal(elsewhere.rest.repos.get(repo))).status).toBe(404);
    expect((await refusal(octokit.rest.repos.get({ owner: 'octo', repo: 'missing' }))).status).toBe(404);
    const reader = client('ghp_reader');
    await expect(reader.rest.repos.get(repo)).resolves.toBeDefined();
    const main = view.branches().main ?? '';
    expect(await refusal(reader.rest.git.createRef({ ...repo, ref: 'refs/heads/x', sha: main }))).toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible'),
    });
    expect(view.branches()).toEqual({ main });
  });

  it('sends rate-limit headers that count down', async () => {
    const first = await octokit.rest.repos.get(repo);
    const second = await octokit.rest.repos.get(repo);
    expect(first.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(first.headers['x-ratelimit-remaining']) - Number(second.headers['x-ratelimit-remaining'])).toBe(1);
    expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('refs', () => {
  it('gets a branch exactly (slashes encoded or not), 404 otherwise, and creates one once', async () => {
    const main = view.branches().main ?? '';
    expect((await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' })).data.object.sha).toBe(main);
    expect((await refusal(octokit.rest.git.getRef({ ...repo, ref: 'heads/notes/a' }))).status).toBe(404);
    expect((await refusal(octokit.rest.git.getRef({ ...repo, ref: 'heads/mai' }))).status).toBe(404);
    const created = await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/notes/a', sha: main });
    expect(created.status).toBe(201);
    expect((await octokit.rest.git.getRef({ ...repo, ref: 'heads/notes/a' })).data.ref).toBe('refs/heads/notes/a');
    const raw = await fetch(`${gh.url}/repos/${REPO}/git/ref/heads/notes/a`, { headers: { authorization: `token ${gh.token}` } });
    expect(raw.status).toBe(200);
    expect(await refusal(octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/notes/a', sha: main }))).toMatchObject({
      status: 422,
      message: expect.stringContaining('Reference already exists'),
    });
    expect((await refusal(octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/b', sha: 'f'.repeat(40) }))).message).toContain('Object does not exist');
    expect((await refusal(octokit.rest.git.createRef({ ...repo, ref: 'heads/b', sha: main }))).status).toBe(422);
  });
});

describe('contents', () => {
  it("returns a file in base64 with git's blob sha, and 404 for a missing one", async () => {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'main' });
    expect(data).toMatchObject({ type: 'file', encoding: 'base64', sha: 'ce013625030ba8dba906f756967f9e9ca394464a' });
    expect(Buffer.from((data as { content: string }).content, 'base64').toString()).toBe('hello\n');
    expect((await refusal(octokit.rest.repos.getContent({ ...repo, path: 'nope.md', ref: 'main' }))).status).toBe(404);
    expect((await refusal(octokit.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'nope' }))).status).toBe(404);
  });

  it('creates a file without sha (201), refuses an update without sha (422) or with a stale one (409), updates with the current one (200)', async () => {
    const path = 'notes/2022/a.md';
    const put = (content: string, sha?: string) =>
      octokit.rest.repos.createOrUpdateFileContents({
        ...repo,
        path,
        branch: 'main',
        message: `write ${content}`,
        content: b64(content),
        ...(sha ? { sha } : {}),
      });
    const created = await put('one\n');
    expect(created.status).toBe(201);
    const sha1 = created.data.content?.sha ?? '';
    expect(await refusal(put('two\n'))).toMatchObject({ status: 422, message: expect.stringContaining('"sha" wasn\'t supplied') });
    expect((await refusal(put('two\n', 'a'.repeat(40)))).status).toBe(409);
    const updated = await put('two\n', sha1);
    expect(updated.status).toBe(200);
    expect((await refusal(put('three\n', sha1))).status).toBe(409);
    expect(view.file('main', path)).toBe('two\n');
    expect(
      view
        .history('main')
        .map((c) => c.message)
        .slice(0, 2),
    ).toEqual(['write two\n', 'write one\n']);
  });

  it('commits even when the bytes are the same, with the author and committer given', async () => {
    const before = view.history('main').length;
    const { data: file } = await octokit.rest.repos.getContent({ ...repo, path: 'README.md' });
    const sha = (file as { sha: string }).sha;
    const who = { name: 'Scribe', email: 'scribe@example.org' };
    const { data } = await octokit.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: 'README.md',
      message: 'same',
      content: b64('hello\n'),
      sha,
      author: who,
      committer: who,
    });
    expect(data.commit.author).toMatchObject(who);
    expect(view.history('main')).toHaveLength(before + 1);
    expect(view.history('main')[0]).toMatchObject({ author: expect.objectContaining(who), committer: expect.objectContaining(who), changed: [] });
  });

  it('refuses a write to a missing branch', async () => {
    const write = octokit.rest.repos.createOrUpdateFileContents({ ...repo, path: 'a.md', branch: 'nope', message: 'm', content: b64('a') });
    expect((await refusal(write)).status).toBe(404);
  });
});

describe('pulls', () => {
  async function branchWithCommit(branch: string): Promise<void> {
    await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: view.branches().main ?? '' });
    gh.pushAsSomeoneElse(REPO, { branch, path: `${branch}.md`, content: branch });
  }

  it('opens one pull request per head and base: a second is refused with 422 "A pull request already exists"', async () => {
    await branchWithCommit('notes/a');
    const created = await octokit.rest.pulls.create({ ...repo, head: 'notes/a', base: 'main', title: 'A' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ number: 1, state: 'open', head: { ref: 'notes/a', label: 'octo:notes/a' }, base: { ref: 'main' } });
    const second = await refusal(octokit.rest.pulls.create({ ...repo, head: 'octo:notes/a', base: 'main', title: 'A again' }));
    expect(second).toMatchObject({ status: 422, message: expect.stringContaining('A pull request already exists for octo:notes/a.') });
    gh.closePull(REPO, 1);
    expect((await octokit.rest.pulls.create({ ...repo, head: 'notes/a', base: 'main', title: 'A, after the first was closed' })).data.number).toBe(2);
  });

  it('refuses a head without commits beyond base, and a missing head or base', async () => {
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/empty', sha: view.branches().main ?? '' });
    expect((await refusal(octokit.rest.pulls.create({ ...repo, head: 'empty', base: 'main', title: 't' }))).message).toContain(
      'No commits between main and empty',
    );
    expect((await refusal(octokit.rest.pulls.create({ ...repo, head: 'nope', base: 'main', title: 't' }))).status).toBe(422);
    await branchWithCommit('x');
    expect((await refusal(octokit.rest.pulls.create({ ...repo, head: 'x', base: 'nope', title: 't' }))).status).toBe(422);
  });

  it('lists by state, head (owner:branch) and base, newest first', async () => {
    await branchWithCommit('a');
    await branchWithCommit('b');
    await octokit.rest.pulls.create({ ...repo, head: 'a', base: 'main', title: 'A' });
    await octokit.rest.pulls.create({ ...repo, head: 'b', base: 'main', title: 'B' });
    gh.closePull(REPO, 1, { merge: true });
    const numbers = async (params: Partial<Parameters<typeof octokit.rest.pulls.list>[0]>) =>
      (await octokit.rest.pulls.list({ ...repo, ...params })).data.map((p) => p.number);
    expect(await numbers({})).toEqual([2]);
    expect(await numbers({ state: 'all' })).toEqual([2, 1]);
    expect(await numbers({ state: 'closed', head: 'octo:a' })).toEqual([1]);
    expect(await numbers({ head: 'octo:a' })).toEqual([]);
    expect(await numbers({ head: 'octo:b', base: 'other' })).toEqual([]);
    expect(view.history('main')[0]?.parents).toHaveLength(2);
    expect(view.file('main', 'a.md')).toBe('a');
  });
});

describe('faults', () => {
  it('fails the next N requests to a route with a 5xx, then answers again; afterApplying applies before failing', async () => {
    const fault = gh.failNext('GET /repos/{owner}/{repo}', 2, { status: 503 });
    expect((await refusal(octokit.rest.repos.get(repo))).status).toBe(503);
    expect((await refusal(octokit.rest.repos.get(repo))).status).toBe(503);
    expect(fault).toMatchObject({ hits: 2, remaining: 0 });
    await expect(octokit.rest.repos.get(repo)).resolves.toBeDefined();
    gh.failNext('POST /repos/{owner}/{repo}/git/refs', 1, { afterApplying: true });
    expect((await refusal(octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/lost', sha: view.branches().main ?? '' }))).status).toBe(502);
    expect(view.branches().lost).toBe(view.branches().main);
    expect(
      gh
        .requests()
        .map((r) => `${r.status} ${r.route}`)
        .slice(-2),
    ).toEqual(['200 GET /repos/{owner}/{repo}', '502 POST /repos/{owner}/{repo}/git/refs']);
  });

  it('answers a primary rate limit with x-ratelimit-remaining 0 and a reset, and a secondary one with retry-after', async () => {
    gh.rateLimit(undefined, 1, { resetInSeconds: 30 });
    const primary = await refusal(octokit.rest.repos.get(repo));
    expect(primary).toMatchObject({ status: 403, message: expect.stringContaining('API rate limit exceeded') });
    expect(primary.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(primary.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 29);
    gh.secondaryRateLimit(undefined, 1, { retryAfter: 7, status: 429 });
    const secondary = await refusal(octokit.rest.repos.get(repo));
    expect(secondary).toMatchObject({ status: 429, message: expect.stringContaining('secondary rate limit') });
    expect(secondary.headers['retry-after']).toBe('7');
    await expect(octokit.rest.repos.get(repo)).resolves.toBeDefined();
  });

  it('runs a hook just before the next request to a route is applied', async () => {
    const main = view.branches().main ?? '';
    gh.beforeNext('POST /repos/{owner}/{repo}/git/refs', () => gh.pushAsSomeoneElse(REPO, { branch: 'main', path: 'x.md', content: 'x' }));
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/after', sha: main });
    expect(view.branches().main).not.toBe(main);
    expect(view.branches().after).toBe(main);
  });
});
