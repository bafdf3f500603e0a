// The REST routes the publisher uses, each as GitHub's docs name it, with what GitHub refuses (README.md).
import type { CommitRecord, Person, PullRecord, RepositoryModel } from './model.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** An answer GitHub gives as an error: `{message, errors?, documentation_url, status}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: JsonObject[],
  ) {
    super(message);
  }
}

export interface RouteContext {
  readonly repo: RepositoryModel;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: JsonObject;
  /** The login of the token's user: the committer and pull request author by default. */
  readonly login: string;
  readonly apiUrl: string;
  readonly htmlUrl: string;
  readonly now: () => string;
}

export interface Route {
  /** As the docs write it: 'PUT /repos/{owner}/{repo}/contents/{path}'. */
  readonly name: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  /** Needs write access to the repository. */
  readonly write: boolean;
  readonly handle: (ctx: RouteContext) => { status: number; body: Json };
}

function route(name: string, write: boolean, handle: Route['handle']): Route {
  const [method = 'GET', template = '/'] = name.split(' ');
  const params: string[] = [];
  // {path} and {ref} may hold slashes (raw or %2F-encoded, as Octokit sends them); other parameters may not.
  const source = template.replace(/\{(\w+)\}/g, (_m, param: string) => {
    params.push(param);
    return param === 'path' || param === 'ref' ? '(.+)' : '([^/]+)';
  });
  return { name, method, pattern: new RegExp(`^${source}/?$`), params, write, handle };
}

const unprocessable = (message: string, errors?: JsonObject[]) => new ApiError(422, message, errors);

function stringField(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

function person(value: Json | undefined, key: string, fallback: Person, now: string): Person {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'object' || Array.isArray(value) || typeof value.name !== 'string' || typeof value.email !== 'string') {
    throw unprocessable(`Invalid request.\n\n"name" and "email" are required for "${key}".`);
  }
  return { name: value.name, email: value.email, date: typeof value.date === 'string' ? value.date : now };
}

function commitJson(ctx: RouteContext, c: CommitRecord): JsonObject {
  const base = `${ctx.apiUrl}/repos/${ctx.repo.fullName}`;
  return {
    sha: c.sha,
    node_id: `C_${c.sha}`,
    url: `${base}/git/commits/${c.sha}`,
    html_url: `${ctx.htmlUrl}/${ctx.repo.fullName}/commit/${c.sha}`,
    author: { ...c.author },
    committer: { ...c.committer },
    message: c.message,
    tree: { sha: c.treeSha, url: `${base}/git/trees/${c.treeSha}` },
    parents: c.parents.map((p) => ({ sha: p, url: `${base}/git/commits/${p}`, html_url: `${ctx.htmlUrl}/${ctx.repo.fullName}/commit/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
  };
}

function fileJson(ctx: RouteContext, path: string, sha: string, bytes: Buffer | undefined, ref: string): JsonObject {
  const name = path.split('/').pop() ?? path;
  const url = `${ctx.apiUrl}/repos/${ctx.repo.fullName}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const html = `${ctx.htmlUrl}/${ctx.repo.fullName}/blob/${ref}/${path}`;
  const json: JsonObject = { type: 'file', name, path, sha, size: bytes?.length ?? 0, url, html_url: html, git_url: null, download_url: null };
  if (bytes !== undefined) {
    // GitHub wraps the base64 at 60 characters with newlines.
    json.encoding = 'base64';
    json.content = (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
  }
  json._links = { self: url, git: null, html };
  return json;
}

function pullJson(ctx: RouteContext, p: PullRecord): JsonObject {
  const { repo } = ctx;
  const side = (branch: string) => ({
    label: `${repo.owner}:${branch}`,
    ref: branch,
    sha: repo.branches.get(branch) ?? null,
    repo: { full_name: repo.fullName },
  });
  return {
    url: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${p.number}`,
    id: repo.id * 100_000 + p.number,
    number: p.number,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/pull/${p.number}`,
    state: p.state,
    title: p.title,
    body: p.body,
    user: { login: p.user },
    created_at: p.createdAt,
    head: side(p.head),
    base: side(p.base),
    merged: p.merged,
    draft: false,
  };
}

function branchOf(ctx: RouteContext, name: string | undefined): string {
  return name === undefined || name === '' ? ctx.repo.defaultBranch : name;
}

export const ROUTES: readonly Route[] = [
  // https://docs.github.com/en/rest/repos/repos#get-a-repository
  route('GET /repos/{owner}/{repo}', false, (ctx) => ({
    status: 200,
    body: {
      id: ctx.repo.id,
      name: ctx.repo.name,
      full_name: ctx.repo.fullName,
      owner: { login: ctx.repo.owner },
      private: ctx.repo.isPrivate,
      html_url: `${ctx.htmlUrl}/${ctx.repo.fullName}`,
      url: `${ctx.apiUrl}/repos/${ctx.repo.fullName}`,
      default_branch: ctx.repo.defaultBranch,
    },
  })),

  // https://docs.github.com/en/rest/git/refs#get-a-reference : an exact match, 404 otherwise.
  route('GET /repos/{owner}/{repo}/git/ref/{ref}', false, (ctx) => {
    const ref = ctx.params.ref ?? '';
    const sha = ref.startsWith('heads/') ? ctx.repo.branches.get(ref.slice('heads/'.length)) : undefined;
    if (sha === undefined) throw new ApiError(404, 'Not Found');
    return { status: 200, body: refJson(ctx, `refs/${ref}`, sha) };
  }),

  // https://docs.github.com/en/rest/git/refs#create-a-reference
  route('POST /repos/{owner}/{repo}/git/refs', true, (ctx) => {
    const ref = stringField(ctx.body, 'ref');
    const sha = stringField(ctx.body, 'sha');
    if (ref === undefined || sha === undefined) throw unprocessable('Invalid request.\n\n"ref" and "sha" are required.');
    if (!ref.startsWith('refs/heads/') || ref.length === 'refs/heads/'.length) {
      throw unprocessable("Reference name must start with 'refs/' and have at least two slashes (only refs/heads/… is emulated).");
    }
    if (ctx.repo.commit(sha) === undefined) throw unprocessable('Object does not exist');
    const branch = ref.slice('refs/heads/'.length);
    if (ctx.repo.branches.has(branch)) throw unprocessable('Reference already exists');
    ctx.repo.branches.set(branch, sha);
    return { status: 201, body: refJson(ctx, ref, sha) };
  }),

  // https://docs.github.com/en/rest/git/commits#get-a-commit-object
  route('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', false, (ctx) => {
    const commit = ctx.repo.commit(ctx.params.commit_sha ?? '');
    if (commit === undefined) throw new ApiError(404, 'Not Found');
    return { status: 200, body: commitJson(ctx, commit) };
  }),

  // https://docs.github.com/en/rest/repos/contents#get-repository-content
  route('GET /repos/{owner}/{repo}/contents/{path}', false, (ctx) => {
    const branch = branchOf(ctx, ctx.query.get('ref') ?? undefined);
    const tree = ctx.repo.treeOf(branch);
    if (tree === undefined) throw new ApiError(404, `No commit found for the ref ${branch}`);
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const file = ctx.repo.fileAt(branch, path);
    if (file !== undefined) return { status: 200, body: fileJson(ctx, path, file.sha, file.bytes, branch) };
    // A directory: its direct children, files only (directories are implied by paths here).
    const children = [...tree].filter(([p]) => p.startsWith(`${path}/`) && !p.slice(path.length + 1).includes('/'));
    if (children.length === 0) throw new ApiError(404, 'Not Found');
    return { status: 200, body: children.map(([p, sha]) => fileJson(ctx, p, sha, undefined, branch)) };
  }),

  // https://docs.github.com/en/rest/repos/contents#create-or-update-file-contents
  route('PUT /repos/{owner}/{repo}/contents/{path}', true, (ctx) => {
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const message = stringField(ctx.body, 'message');
    const content = stringField(ctx.body, 'content');
    if (message === undefined) throw unprocessable('Invalid request.\n\n"message" wasn\'t supplied.');
    if (content === undefined) throw unprocessable('Invalid request.\n\n"content" wasn\'t supplied.');
    if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(content)) throw unprocessable('content is not valid Base64');
    const branch = branchOf(ctx, stringField(ctx.body, 'branch'));
    const head = ctx.repo.branches.get(branch);
    if (head === undefined) throw new ApiError(404, `Branch ${branch} not found`);
    if ([...(ctx.repo.treeOf(branch) ?? new Map()).keys()].some((p: string) => p.startsWith(`${path}/`))) {
      throw unprocessable(`Invalid request.\n\n"${path}" is a directory.`);
    }
    const existing = ctx.repo.fileAt(branch, path);
    const sha = stringField(ctx.body, 'sha');
    if (existing !== undefined && sha === undefined) throw unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.');
    if (sha !== undefined && sha !== existing?.sha) throw new ApiError(409, `${path} does not match ${sha}`);
    const now = ctx.now();
    const committer = person(ctx.body.committer, 'committer', { name: ctx.login, email: `${ctx.login}@users.noreply.github.test`, date: now }, now);
    const author = person(ctx.body.author, 'author', committer, now);
    // GitHub commits even when the bytes are the same: skipping a needless commit is the caller's job.
    const bytes = Buffer.from(content, 'base64');
    const tree = ctx.repo.treeWith(head, new Map([[path, bytes]]));
    const commit = ctx.repo.addCommit(branch, [head], tree, message, author, committer);
    const blob = tree.get(path) ?? '';
    return { status: existing === undefined ? 201 : 200, body: { content: fileJson(ctx, path, blob, undefined, branch), commit: commitJson(ctx, commit) } };
  }),

  // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
  route('GET /repos/{owner}/{repo}/pulls', false, (ctx) => {
    const state = ctx.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) throw unprocessable('Validation Failed', [{ resource: 'Issue', field: 'state', code: 'invalid' }]);
    const head = ctx.query.get('head');
    const base = ctx.query.get('base');
    const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100);
    const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1);
    const selected = ctx.repo.pulls
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => head === null || !head.includes(':') || head === `${ctx.repo.owner}:${p.head}`)
      .filter((p) => base === null || p.base === base)
      .sort((a, b) => b.number - a.number);
    return { status: 200, body: selected.slice((page - 1) * perPage, page * perPage).map((p) => pullJson(ctx, p)) };
  }),

  // https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request
  route('POST /repos/{owner}/{repo}/pulls', true, (ctx) => {
    const { repo } = ctx;
    const title = stringField(ctx.body, 'title');
    const headField = stringField(ctx.body, 'head');
    const base = stringField(ctx.body, 'base');
    if (title === undefined || headField === undefined || base === undefined) {
      throw unprocessable('Invalid request.\n\n"title", "head" and "base" are required.');
    }
    const [headOwner, head] = headField.includes(':') ? headField.split(':', 2) : [repo.owner, headField];
    const invalid = (field: string) => unprocessable('Validation Failed', [{ resource: 'PullRequest', field, code: 'invalid' }]);
    if (headOwner !== repo.owner || head === undefined || !repo.branches.has(head)) throw invalid('head');
    const baseSha = repo.branches.get(base);
    const headSha = repo.branches.get(head);
    if (baseSha === undefined) throw invalid('base');
    if (repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
      throw unprocessable('Validation Failed', [
        { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${head}.` },
      ]);
    }
    if (headSha === undefined || repo.ancestors(baseSha).has(headSha)) {
      throw unprocessable('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }]);
    }
    const body = stringField(ctx.body, 'body') ?? null;
    const pull: PullRecord = { number: repo.pulls.length + 1, title, body, head, base, state: 'open', merged: false, createdAt: ctx.now(), user: ctx.login };
    repo.pulls.push(pull);
    return { status: 201, body: pullJson(ctx, pull) };
  }),

  // https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request
  route('GET /repos/{owner}/{repo}/pulls/{pull_number}', false, (ctx) => {
    const pull = ctx.repo.pulls.find((p) => String(p.number) === ctx.params.pull_number);
    if (pull === undefined) throw new ApiError(404, 'Not Found');
    return { status: 200, body: pullJson(ctx, pull) };
  }),
];

function refJson(ctx: RouteContext, ref: string, sha: string): JsonObject {
  const base = `${ctx.apiUrl}/repos/${ctx.repo.fullName}/git`;
  return { ref, node_id: `REF_${sha}`, url: `${base}/${ref}`, object: { type: 'commit', sha, url: `${base}/commits/${sha}` } };
}

/** The route a request is for, with its parameters decoded; undefined for a path the emulator does not serve. */
export function findRoute(method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(pathname);
    if (match === null) continue;
    const params: Record<string, string> = {};
    candidate.params.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1] ?? '');
    });
    return { route: candidate, params };
  }
  return undefined;
}
