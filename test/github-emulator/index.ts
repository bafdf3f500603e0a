// A local GitHub REST API for the publisher's tests: repositories in memory, the routes of routes.ts, token
// checks, rate-limit headers and injected faults, on one node:http server. This file is the driving API.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { FaultSet, type FaultAction, type FaultHandle, type RouteName } from './faults.ts';
import { RepositoryModel, type Person } from './model.ts';
import { ApiError, findRoute, type Json, type JsonObject } from './routes.ts';

export type { FaultHandle, RouteName } from './faults.ts';
export type { Person } from './model.ts';

export interface TokenSpec {
  /** The user the token belongs to: the default committer and the author of pull requests. */
  readonly login: string;
  /** Repositories (`owner/name`) it can see; all when omitted. Others answer 404, as a private repository does. */
  readonly repositories?: readonly string[];
  /** False for a read-only token: writes answer 403. Default true. */
  readonly write?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  /** The route as the docs name it ('PUT /repos/{owner}/{repo}/contents/{path}'), or the raw path when unknown. */
  readonly route: string;
  readonly path: string;
  readonly status: number;
  /** Milliseconds since the emulator started (performance.now), when the answer was sent. */
  readonly at: number;
}

export interface CommitView {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: Person;
  readonly committer: Person;
  /** Paths whose bytes differ from the first parent's (added, changed or removed). */
  readonly changed: readonly string[];
}

export interface PullView {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly head: string;
  readonly base: string;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
}

export interface RepositoryView {
  branches(): Record<string, string>;
  /** Every file on the branch as UTF-8 text, by path. */
  files(branch: string): Record<string, string>;
  file(branch: string, path: string): string | undefined;
  /** First-parent history, newest first. */
  history(branch: string): CommitView[];
  pulls(): PullView[];
}

export interface GitHubEmulator {
  /** Give it to Octokit as `baseUrl`. */
  readonly url: string;
  /** A token with write access to every repository (login `scribe-bot`). */
  readonly token: string;
  addToken(token: string, spec: TokenSpec): void;
  /** A repository whose default branch holds one commit with `files` (a README when none are given). */
  addRepository(fullName: string, options?: { defaultBranch?: string; files?: Record<string, string>; private?: boolean }): RepositoryView;
  repository(fullName: string): RepositoryView;
  /** A commit by someone other than the publisher, on top of `branch` (which must exist). Returns its sha. */
  pushAsSomeoneElse(
    fullName: string,
    change: { branch: string; path: string; content: string; message?: string; author?: { name: string; email: string } },
  ): string;
  /** Closes a pull request; `merge` first makes a merge commit on its base whose tree is the head's (no conflicts). */
  closePull(fullName: string, number: number, options?: { merge?: boolean }): void;
  /** The next `times` requests to `route` (any route when undefined) answer `status` (default 502); Infinity for a permanent fault. */
  failNext(route: RouteName | undefined, times: number, options?: { status?: number; afterApplying?: boolean }): FaultHandle;
  /** The next `times` requests answer a primary rate limit: 403 (or 429), x-ratelimit-remaining 0, reset in `resetInSeconds`. */
  rateLimit(route: RouteName | undefined, times: number, options?: { resetInSeconds?: number; status?: 403 | 429 }): FaultHandle;
  /** The next `times` requests answer a secondary rate limit: 403 (or 429) with retry-after (omitted when null). */
  secondaryRateLimit(route: RouteName | undefined, times: number, options?: { retryAfter?: number | null; status?: 403 | 429 }): FaultHandle;
  /** Runs `action` once, just before the next request to `route` is applied (e.g. someone pushing between a read and a write). */
  beforeNext(route: RouteName, action: () => void): void;
  clearFaults(): void;
  requests(): RecordedRequest[];
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const HOUR_LIMIT = 5000;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function view(repo: RepositoryModel): RepositoryView {
  const text = (sha: string) => repo.blobs.get(sha)?.toString('utf8') ?? '';
  return {
    branches: () => Object.fromEntries(repo.branches),
    files: (branch) => Object.fromEntries([...(repo.treeOf(branch) ?? [])].map(([path, sha]) => [path, text(sha)])),
    file: (branch, path) => repo.fileAt(branch, path)?.bytes.toString('utf8'),
    history: (branch) =>
      repo.history(branch).map((c) => {
        const before = c.parents[0] === undefined ? new Map<string, string>() : (repo.commit(c.parents[0])?.tree ?? new Map<string, string>());
        const paths = new Set([...before.keys(), ...c.tree.keys()]);
        const changed = [...paths].filter((p) => before.get(p) !== c.tree.get(p)).sort();
        return { sha: c.sha, parents: c.parents, message: c.message, author: c.author, committer: c.committer, changed };
      }),
    pulls: () => repo.pulls.map((p) => ({ number: p.number, title: p.title, body: p.body, head: p.head, base: p.base, state: p.state, merged: p.merged })),
  };
}

export async function startGitHubEmulator(options: { port?: number } = {}): Promise<GitHubEmulator> {
  const started = performance.now();
  const repos = new Map<string, RepositoryModel>();
  const tokens = new Map<string, TokenSpec & { used: number }>();
  const faults = new FaultSet();
  const log: RecordedRequest[] = [];
  const hooks: { route: RouteName; action: () => void }[] = [];
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const defaultToken = `ghp_${randomBytes(18).toString('hex')}`;
  tokens.set(defaultToken, { login: 'scribe-bot', used: 0 });
  let url = '';

  function send(res: ServerResponse, status: number, body: Json, headers: Record<string, string>, record: Omit<RecordedRequest, 'status' | 'at'>): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': randomBytes(6).toString('hex'), ...headers });
    res.end(text);
    log.push({ ...record, status, at: performance.now() - started });
  }

  function errorBody(error: ApiError): JsonObject {
    const body: JsonObject = { message: error.message, documentation_url: DOCS, status: String(error.status) };
    if (error.errors !== undefined) body.errors = error.errors;
    return body;
  }

  /** The answer an injected fault gives, or undefined when the request goes on. */
  function faultAnswer(action: FaultAction): { status: number; body: JsonObject; headers: Record<string, string> } {
    if (action.kind === 'fail') return { status: action.status, body: { message: 'Server Error' }, headers: {} };
    if (action.kind === 'rate-limit') {
      const reset = String(Math.floor(Date.now() / 1000) + action.resetInSeconds);
      return {
        status: action.status,
        body: {
          message: 'API rate limit exceeded for user ID 1.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
          status: String(action.status),
        },
        headers: { 'x-ratelimit-limit': String(HOUR_LIMIT), 'x-ratelimit-remaining': '0', 'x-ratelimit-used': String(HOUR_LIMIT), 'x-ratelimit-reset': reset },
      };
    }
    return {
      status: action.status,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: DOCS,
        status: String(action.status),
      },
      headers: action.retryAfter === undefined ? {} : { 'retry-after': String(action.retryAfter) },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const parsed = new URL(req.url ?? '/', 'http://emulator.invalid');
    const found = findRoute(method, parsed.pathname);
    const record = { method, route: found?.route.name ?? `${method} ${parsed.pathname}`, path: parsed.pathname };
    const raw = await readBody(req);
    const fail = (error: ApiError, headers: Record<string, string> = {}) => send(res, error.status, errorBody(error), headers, record);
    if (found === undefined) return fail(new ApiError(404, 'Not Found'));

    const authorization = req.headers.authorization ?? '';
    const presented = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization)?.[1];
    if (presented === undefined) return fail(new ApiError(401, 'Requires authentication'));
    const token = tokens.get(presented);
    if (token === undefined) return fail(new ApiError(401, 'Bad credentials'));
    token.used += 1;
    const limits = {
      'x-ratelimit-limit': String(HOUR_LIMIT),
      'x-ratelimit-remaining': String(Math.max(HOUR_LIMIT - token.used, 0)),
      'x-ratelimit-used': String(token.used),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-resource': 'core',
    };

    const fullName = `${found.params.owner ?? ''}/${found.params.repo ?? ''}`;
    const repo = repos.get(fullName.toLowerCase());
    const visible = repo !== undefined && (token.repositories === undefined || token.repositories.some((r) => r.toLowerCase() === fullName.toLowerCase()));
    if (!visible) return fail(new ApiError(404, 'Not Found'), limits);
    if (found.route.write && token.write === false) return fail(new ApiError(403, 'Resource not accessible by personal access token'), limits);

    const fault = faults.take(found.route.name);
    if (fault !== undefined && !(fault.kind === 'fail' && fault.afterApplying)) {
      const answer = faultAnswer(fault);
      return send(res, answer.status, answer.body, { ...limits, ...answer.headers }, record);
    }
    let body: JsonObject = {};
    if (raw.length > 0) {
      try {
        const value = JSON.parse(raw.toString('utf8')) as Json;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        body = value;
      } catch {
        return fail(new ApiError(400, 'Problems parsing JSON'), limits);
      }
    }
    const hook = hooks.findIndex((h) => h.route === found.route.name);
    if (hook >= 0) hooks.splice(hook, 1)[0]?.action();
    try {
      const { owner: _o, repo: _r, ...params } = found.params;
      const out = found.route.handle({ repo, params, query: parsed.searchParams, body, login: token.login, apiUrl: url, htmlUrl: 'https://github.test', now });
      if (fault !== undefined) {
        // Applied, but the answer is lost: what a crash of GitHub's front end after the write looks like.
        const answer = faultAnswer(fault);
        return send(res, answer.status, answer.body, limits, record);
      }
      send(res, out.status, out.body, limits, record);
    } catch (error) {
      if (error instanceof ApiError) return fail(error, limits);
      throw error;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: `emulator error: ${error instanceof Error ? error.message : String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function model(fullName: string): RepositoryModel {
    const repo = repos.get(fullName.toLowerCase());
    if (repo === undefined) throw new Error(`no repository ${fullName} in the emulator`);
    return repo;
  }

  return {
    url,
    token: defaultToken,
    addToken: (token, spec) => void tokens.set(token, { ...spec, used: 0 }),
    addRepository(fullName, opts = {}) {
      const [owner, name] = fullName.split('/');
      if (owner === undefined || name === undefined) throw new Error(`${fullName} is not owner/name`);
      const repo = new RepositoryModel(owner, name, opts.defaultBranch ?? 'main', repos.size + 1, opts.private ?? false);
      const files = opts.files ?? { 'README.md': `# ${name}\n` };
      const someone: Person = { name: 'Maintainer', email: 'maintainer@example.org', date: now() };
      const tree = repo.treeWith(null, new Map(Object.entries(files).map(([path, text]) => [path, Buffer.from(text, 'utf8')])));
      repo.addCommit(repo.defaultBranch, [], tree, 'Initial commit', someone, someone);
      repos.set(fullName.toLowerCase(), repo);
      return view(repo);
    },
    repository: (fullName) => view(model(fullName)),
    pushAsSomeoneElse(fullName, change) {
      const repo = model(fullName);
      const head = repo.branches.get(change.branch);
      if (head === undefined) throw new Error(`no branch ${change.branch} in ${fullName}`);
      const who: Person = { ...(change.author ?? { name: 'Someone Else', email: 'someone@example.org' }), date: now() };
      const tree = repo.treeWith(head, new Map([[change.path, Buffer.from(change.content, 'utf8')]]));
      return repo.addCommit(change.branch, [head], tree, change.message ?? `Edit ${change.path}`, who, who).sha;
    },
    closePull(fullName, number, opts = {}) {
      const repo = model(fullName);
      const pull = repo.pulls.find((p) => p.number === number);
      if (pull === undefined) throw new Error(`no pull request #${number} in ${fullName}`);
      const baseHead = repo.branches.get(pull.base);
      const headSha = repo.branches.get(pull.head);
      if (opts.merge === true && baseHead !== undefined && headSha !== undefined) {
        const who: Person = { name: 'Maintainer', email: 'maintainer@example.org', date: now() };
        const tree = repo.commit(headSha)?.tree ?? new Map<string, string>();
        repo.addCommit(pull.base, [baseHead, headSha], tree, `Merge pull request #${number} from ${repo.owner}/${pull.head}`, who, who);
        pull.merged = true;
      }
      pull.state = 'closed';
    },
    failNext: (route, times, opts = {}) => faults.add(route, times, { kind: 'fail', status: opts.status ?? 502, afterApplying: opts.afterApplying ?? false }),
    rateLimit: (route, times, opts = {}) =>
      faults.add(route, times, { kind: 'rate-limit', resetInSeconds: opts.resetInSeconds ?? 1, status: opts.status ?? 403 }),
    secondaryRateLimit: (route, times, opts = {}) =>
      faults.add(route, times, {
        kind: 'secondary-rate-limit',
        retryAfter: opts.retryAfter === null ? undefined : (opts.retryAfter ?? 1),
        status: opts.status ?? 403,
      }),
    beforeNext: (route, action) => void hooks.push({ route, action }),
    clearFaults: () => faults.clear(),
    requests: () => [...log],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
