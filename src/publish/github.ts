import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { describeFailure, isFailure } from './github-errors.js';
import { PublishRefused, type PublishRequest, type PublishResult, type Publisher } from './publisher.js';

/** The part of a pino logger the publisher uses: object first, message second. */
export interface PublishLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** How hard and how long to retry; production keeps the defaults, tests shorten the unit. */
export interface GitHubRetryTuning {
  /** Milliseconds per second that GitHub asks to wait (retry-after, rate-limit reset) and per unit of the 5xx back-off. */
  readonly unitMs?: number;
  /** Retries of one request after a 5xx, a network failure or a rate limit, before the publish fails. */
  readonly retries?: number;
  /** A rate limit that asks for a longer wait (in GitHub's seconds) fails the publish at once: Scribe retries it later. */
  readonly maxWaitSeconds?: number;
  /** Attempts at writing the file when it moved under the write (409 stale sha, or 422 sha missing). */
  readonly writeAttempts?: number;
  /** The throttling plugin's id: instances sharing it share GitHub's write pacing (one write a second). */
  readonly throttleId?: string;
}

export interface GitHubPublisherOptions {
  /** `owner/name`. */
  readonly repository: string;
  /** The branch pull requests are opened against. */
  readonly base: string;
  readonly token: string;
  /** `https://api.github.com`, or a GitHub Enterprise's `https://host/api/v3`. */
  readonly apiUrl: string;
  readonly log: PublishLog;
  readonly retry?: GitHubRetryTuning;
}

const GitHubClient = Octokit.plugin(retry, throttling);
type GitHubClient = InstanceType<typeof GitHubClient>;

// 409 (stale sha) and 422 are answered by the steps themselves; 429 is the throttling plugin's, not a second retry loop's.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

interface PullRequest {
  readonly number: number;
  readonly url: string;
}

/**
 * Publishes through GitHub's REST API: a branch per meeting made from `base`, the file written with the
 * contents API (one commit, on top of whatever the branch holds), one open pull request into `base`.
 * Every step reads before it writes, so publishing again after a crash anywhere finishes the job
 * without a second commit of the same content or a second pull request; nothing is ever forced.
 */
export function createGitHubPublisher(options: GitHubPublisherOptions): Publisher {
  const [owner, name, ...rest] = options.repository.split('/');
  if (owner === undefined || name === undefined || owner === '' || name === '' || rest.length > 0) {
    throw new PublishRefused(`GitHub repository "${options.repository}" is not of the form owner/name`);
  }
  const repo = { owner, repo: name };
  const tuning = { unitMs: 1000, retries: 3, maxWaitSeconds: 120, writeAttempts: 4, throttleId: 'scribe', ...options.retry };
  const { log, base, repository } = options;

  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const retrying = retryCount < tuning.retries && retryAfter <= tuning.maxWaitSeconds;
    log.warn({ repository, route: `${request.method} ${request.url}`, retryAfterSeconds: retryAfter, retryCount, retrying }, `GitHub ${kind}`);
    return retrying;
  };
  const octokit: GitHubClient = new GitHubClient({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: 'scribe-meeting-notes',
    // Octokit's warnings (deprecations, a failing limit handler) go to the one logger. Its per-request lines do
    // not: a 404 is an answer the steps expect, and failures are reported once, by publish's caller.
    log: { debug: () => undefined, info: () => undefined, warn: (message: string) => log.warn({ repository }, `octokit: ${message}`), error: () => undefined },
    retry: { doNotRetry: DO_NOT_RETRY, retries: tuning.retries, retryAfterBaseValue: tuning.unitMs },
    throttle: {
      id: tuning.throttleId,
      retryAfterBaseValue: tuning.unitMs,
      onRateLimit: onLimit('rate limit reached'),
      onSecondaryRateLimit: onLimit('secondary rate limit reached'),
    },
  });

  async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw describeFailure(error, what, repository);
    }
  }

  /** The branch's head commit, or undefined when there is no such branch. */
  async function branchHead(branch: string): Promise<string | undefined> {
    try {
      const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (error) {
      if (isFailure(error, 404)) return undefined;
      throw error;
    }
  }

  async function ensureBranch(branch: string): Promise<string> {
    const head = await branchHead(branch);
    if (head !== undefined) return head;
    const baseHead = await branchHead(base);
    if (baseHead === undefined) throw new PublishRefused(`GitHub repository ${repository} has no branch "${base}" (the series' publish.base)`);
    try {
      await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: baseHead });
      log.info({ repository, branch, base }, 'GitHub branch created');
      return baseHead;
    } catch (error) {
      // An earlier attempt whose answer was lost created it: use it as it is.
      const now = isFailure(error, 422, /already exists/i) ? await branchHead(branch) : undefined;
      if (now === undefined) throw error;
      return now;
    }
  }

  /** The file on the branch: its blob sha and text, or undefined when it is not there. */
  async function readFile(branch: string, path: string): Promise<{ sha: string; text: string | undefined } | undefined> {
    try {
      const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref: branch });
      if (Array.isArray(data) || data.type !== 'file') throw new PublishRefused(`${path} in ${repository} on ${branch} is not a file (the series' notesPath)`);
      // Past 1 MB the contents API leaves `content` empty: the file then counts as different and is replaced.
      const text = 'content' in data && data.encoding === 'base64' ? Buffer.from(data.content, 'base64').toString('utf8') : undefined;
      return { sha: data.sha, text };
    } catch (error) {
      if (isFailure(error, 404)) return undefined;
      throw error;
    }
  }

  async function writeFile(request: PublishRequest, head: string): Promise<{ commit: string; changed: boolean }> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await readFile(request.branch, request.path);
      if (current?.text === request.content) {
        if (attempt === 1) return { commit: head, changed: false };
        // The first read found other bytes: a write whose answer was lost (a 5xx after GitHub applied it, then a
        // 409 on the retry) committed this revision, so the branch did change.
        return { commit: (await branchHead(request.branch)) ?? head, changed: true };
      }
      try {
        const { data } = await octokit.rest.repos.createOrUpdateFileContents({
          ...repo,
          path: request.path,
          branch: request.branch,
          message: request.message,
          content: Buffer.from(request.content, 'utf8').toString('base64'),
          author: { name: request.author.name, email: request.author.email },
          committer: { name: request.author.name, email: request.author.email },
          ...(current === undefined ? {} : { sha: current.sha }),
        });
        const commit = data.commit.sha;
        if (commit === undefined) throw new Error('GitHub answered the file write without a commit');
        return { commit, changed: true };
      } catch (error) {
        // The file changed (or appeared) between the read and the write: read again and write on top.
        const moved = isFailure(error, 409) || isFailure(error, 422, /sha/i);
        if (!moved || attempt >= tuning.writeAttempts) throw error;
        log.warn({ repository, branch: request.branch, path: request.path, attempt }, 'GitHub file moved during the write; reading it again');
      }
    }
  }

  async function openPullRequest(branch: string): Promise<PullRequest | undefined> {
    const { data } = await octokit.rest.pulls.list({ ...repo, state: 'open', head: `${owner}:${branch}`, base, per_page: 100 });
    const found = data[0];
    return found === undefined ? undefined : { number: found.number, url: found.html_url };
  }

  async function ensurePullRequest(request: PublishRequest): Promise<PullRequest | undefined> {
    const open = await openPullRequest(request.branch);
    if (open !== undefined) return open;
    const title = request.message.split('\n', 1)[0] ?? request.message;
    const body = `Meeting notes published by Scribe (meeting ${request.meetingKey}, revision ${request.revision}).`;
    try {
      const { data } = await octokit.rest.pulls.create({ ...repo, head: request.branch, base, title, body });
      log.info({ repository, branch: request.branch, pullRequest: data.number }, 'GitHub pull request opened');
      return { number: data.number, url: data.html_url };
    } catch (error) {
      // The branch holds nothing that `base` lacks (e.g. the notes were merged already): no pull request to open.
      if (isFailure(error, 422, /no commits between/i)) return undefined;
      // An earlier attempt whose answer was lost opened it.
      const again = isFailure(error, 422, /already exists/i) ? await openPullRequest(request.branch) : undefined;
      if (again === undefined) throw error;
      return again;
    }
  }

  return {
    async publish(request: PublishRequest): Promise<PublishResult> {
      const where = { repository, branch: request.branch, path: request.path, meeting: request.meetingKey, revision: request.revision };
      const { data: repoData } = await step('reading the repository', () => octokit.rest.repos.get(repo));
      const head = await step('creating the branch', () => ensureBranch(request.branch));
      const written = await step('writing the file', () => writeFile(request, head));
      const pullRequest = await step('opening the pull request', () => ensurePullRequest(request));
      const url = pullRequest?.url ?? `${repoData.html_url}/commit/${written.commit}`;
      log.info({ ...where, commit: written.commit, changed: written.changed, pullRequest: pullRequest?.number }, 'notes published to GitHub');
      return { commit: written.commit, changed: written.changed, url, ...(pullRequest === undefined ? {} : { pullRequest }) };
    },
  };
}
