/**
 * What publishing the notes means to the rest of Scribe: one file written on one branch as one commit,
 * whatever carries it (the git binary, or GitHub's API with a pull request). Scribe's own part (when to
 * publish, the record of what was published, retries) is built on this; a publisher only writes.
 */

export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
}

export interface PublishRequest {
  /** The meeting's key: a publisher may use it to find what an earlier attempt left behind. */
  readonly meetingKey: string;
  readonly revision: number;
  /** The branch the commit goes on, already resolved from the series' template. */
  readonly branch: string;
  /** The file's path in the repository, e.g. `hackathons/2022/2022-03-19.md`. */
  readonly path: string;
  /** The file exactly as posted in Discord (UTF-8). */
  readonly content: string;
  /** The whole commit message, sign-off trailer included. */
  readonly message: string;
  readonly author: CommitAuthor;
}

export interface PublishResult {
  /** The commit that holds the file: the new one, or the branch's head when nothing changed. */
  readonly commit: string;
  /** False when the branch already held exactly this file: nothing was committed. */
  readonly changed: boolean;
  /** Where a person sees it: the pull request if there is one, else the commit. */
  readonly url: string;
  readonly pullRequest?: { readonly number: number; readonly url: string };
}

/**
 * Idempotent: publishing the same request again (after a crash at any step, or a retry) finishes what
 * is missing and never commits the same content twice, never opens a second pull request, never forces.
 */
export interface Publisher {
  publish(request: PublishRequest): Promise<PublishResult>;
}

/** A refusal that retrying will not change (bad credentials, no such repository): reported, not retried. */
export class PublishRefused extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PublishRefused';
  }
}
