/**
 * Publishing through the git binary (simple-git): a working clone per remote, kept between publishes.
 * Each publish starts again from what the remote holds (fetch, then reset the branch to the remote's,
 * or to the default branch for a new one), writes the file, commits it only if it changed, and pushes
 * without force. What a killed process left behind (a commit never pushed, a lock file) is discarded
 * by that reset, which is what makes a publish safe to repeat: one commit ends up pushed, never two.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { PublishRefused, type PublishRequest, type PublishResult, type Publisher } from './publisher.ts';
import { redact, redactedError } from './redact.ts';

export interface PublishLog {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}

export interface GitPublisherOptions {
  /** Any URL git accepts; credentials come from the environment or git's own configuration. */
  readonly remote: string;
  /** The working clone (created on first use; owned by this publisher alone). */
  readonly dir: string;
  readonly log?: PublishLog;
  /** Pushes refused because the branch moved are redone on top this many times; default 5. */
  readonly pushAttempts?: number;
  /** A git command silent this long is killed (an unreachable remote); default 60 s. */
  readonly silenceTimeoutMs?: number;
}

/** Git's words for a push refused because the remote branch is not where this clone saw it. */
const MOVED = /\[rejected\]|non-fast-forward|fetch first|stale info|cannot lock ref|failed to update ref|\[remote rejected\].*(lock|moved)/i;
/** Answers that retrying will not change. */
const REFUSED =
  /authentication failed|permission denied|could not read (username|password)|repository .* not found|does not appear to be a git repository|access denied|returned error: 40[13]/i;

const silentLog: PublishLog = { info: () => undefined, warn: () => undefined };

export function createGitPublisher(options: GitPublisherOptions): Publisher {
  return new GitPublisher(options);
}

export class GitPublisher implements Publisher {
  readonly #remote: string;
  readonly #dir: string;
  readonly #log: PublishLog;
  readonly #pushAttempts: number;
  readonly #timeoutMs: number;
  /** One publish at a time in the working clone. */
  #tail: Promise<unknown> = Promise.resolve();
  #prepared = false;

  constructor(options: GitPublisherOptions) {
    this.#remote = options.remote;
    this.#dir = options.dir;
    this.#log = options.log ?? silentLog;
    this.#pushAttempts = options.pushAttempts ?? 5;
    this.#timeoutMs = options.silenceTimeoutMs ?? 60_000;
  }

  publish(request: PublishRequest): Promise<PublishResult> {
    const run = this.#tail.then(
      () => this.#publish(request),
      () => this.#publish(request),
    );
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #publish(request: PublishRequest): Promise<PublishResult> {
    try {
      const git = await this.#prepare(request);
      for (let attempt = 1; ; attempt++) {
        const commit = await this.#commitOnRemoteBranch(git, request);
        if (!commit.changed && commit.newBranch) {
          // The default branch already holds this file: the branch is created on it, with no commit of its own.
          await git.raw(['push', 'origin', `${commit.sha}:refs/heads/${request.branch}`]);
        }
        if (!commit.changed) {
          this.#log.info({ remote: redact(this.#remote), branch: request.branch, commit: commit.sha }, 'notes already on the branch; nothing committed');
          return { commit: commit.sha, changed: false, url: this.#urlOf(commit.sha) };
        }
        try {
          await git.raw(['push', 'origin', `${commit.sha}:refs/heads/${request.branch}`]);
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          if (!MOVED.test(text) || attempt >= this.#pushAttempts) throw error;
          this.#log.warn({ remote: redact(this.#remote), branch: request.branch, attempt }, 'push refused: the branch moved; committing again on top of it');
          continue;
        }
        this.#log.info({ remote: redact(this.#remote), branch: request.branch, path: request.path, commit: commit.sha }, 'notes pushed');
        return { commit: commit.sha, changed: true, url: this.#urlOf(commit.sha) };
      }
    } catch (error) {
      const clean = redactedError(error);
      if (REFUSED.test(clean.message)) throw new PublishRefused(`the remote ${redact(this.#remote)} refused: ${clean.message}`);
      throw clean;
    }
  }

  /** The working clone, created on first use; after a restart, the locks a killed git left are removed. */
  async #prepare(request: PublishRequest): Promise<SimpleGit> {
    await mkdir(this.#dir, { recursive: true });
    if (!this.#prepared) {
      // Only this publisher (one per process and remote) uses the clone: a lock present now is stale.
      await rm(join(this.#dir, '.git', 'index.lock'), { force: true });
      await rm(join(this.#dir, '.git', 'HEAD.lock'), { force: true });
    }
    const git = simpleGit({
      baseDir: this.#dir,
      timeout: { block: this.#timeoutMs },
      config: [`user.name=${request.author.name}`, `user.email=${request.author.email}`, 'core.autocrlf=false'],
    });
    if (!existsSync(join(this.#dir, '.git'))) await git.init();
    if (!this.#prepared) {
      const remotes = await git.getRemotes();
      if (remotes.some((r) => r.name === 'origin')) await git.remote(['set-url', 'origin', this.#remote]);
      else await git.addRemote('origin', this.#remote);
    }
    this.#prepared = true;
    return git;
  }

  /**
   * Resets the branch to the remote's (or starts it from the default branch), writes the file and
   * commits it when it differs. Returns the commit to push, or the head when nothing changed.
   */
  async #commitOnRemoteBranch(git: SimpleGit, request: PublishRequest): Promise<{ sha: string; changed: boolean; newBranch: boolean }> {
    await git.raw(['fetch', '--prune', '--no-tags', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
    const remoteBranch = await this.#revision(git, `refs/remotes/origin/${request.branch}`);
    const start = remoteBranch ?? (await this.#defaultBranchHead(git));
    if (start !== undefined) {
      await git.raw(['checkout', '--force', '-B', request.branch, start]);
    } else {
      // An empty repository: the branch is the first history it has.
      await git.raw(['symbolic-ref', 'HEAD', `refs/heads/${request.branch}`]);
      await git.raw(['update-ref', '-d', `refs/heads/${request.branch}`]);
      await git.raw(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '.']);
    }
    await git.raw(['clean', '-f', '-d', '-x', '-q']);
    await git.raw(['reset', '--hard', '-q']).catch(() => undefined);
    const file = join(this.#dir, request.path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, request.content, 'utf8');
    await git.raw(['add', '--', request.path]);
    const staged = (await git.raw(['diff', '--cached', '--name-only'])).trim();
    if (start !== undefined && staged === '') return { sha: start, changed: false, newBranch: remoteBranch === undefined };
    await git.raw(['commit', '-q', '--no-verify', '--no-gpg-sign', '--cleanup=verbatim', '-m', request.message]);
    const sha = await this.#revision(git, 'HEAD');
    if (sha === undefined) throw new Error('git committed but HEAD names no commit');
    return { sha, changed: true, newBranch: remoteBranch === undefined };
  }

  /** The remote's default branch head (what a new branch starts from), or undefined for an empty repository. */
  async #defaultBranchHead(git: SimpleGit): Promise<string | undefined> {
    const answer = await git.raw(['ls-remote', '--symref', 'origin', 'HEAD']);
    const name = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(answer)?.[1];
    if (name !== undefined) {
      const head = await this.#revision(git, `refs/remotes/origin/${name}`);
      if (head !== undefined) return head;
    }
    return undefined;
  }

  async #revision(git: SimpleGit, ref: string): Promise<string | undefined> {
    try {
      const sha = (await git.raw(['rev-parse', '--verify', '-q', `${ref}^{commit}`])).trim();
      return sha === '' ? undefined : sha;
    } catch {
      return undefined;
    }
  }

  /** A web link for the usual forges (https or SSH remotes of GitHub, GitLab, Gitea), else the remote and the commit. */
  #urlOf(sha: string): string {
    const web =
      /^https?:\/\/(?:[^/@]+@)?([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(this.#remote) ??
      /^ssh:\/\/(?:[^/@]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(this.#remote) ??
      /^[^/@:]+@([^/:]+):(.+?)(?:\.git)?\/?$/.exec(this.#remote);
    if (web) return `https://${web[1] ?? ''}/${web[2] ?? ''}/commit/${sha}`;
    return `${redact(this.#remote)}#${sha}`;
  }
}
