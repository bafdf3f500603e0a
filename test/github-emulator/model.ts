// A repository as GitHub's REST API sees it, in memory: blobs, commits (each a full snapshot of paths to
// blobs), branches pointing at commits, and pull requests. Shas of blobs are git's own; commit and tree
// shas are sha1s of a git-like text, unique and stable but not what git would compute.
import { createHash } from 'node:crypto';

export interface Person {
  readonly name: string;
  readonly email: string;
  readonly date: string;
}

export interface CommitRecord {
  readonly sha: string;
  readonly parents: readonly string[];
  /** Path → blob sha: the whole tree after this commit. */
  readonly tree: ReadonlyMap<string, string>;
  readonly treeSha: string;
  readonly message: string;
  readonly author: Person;
  readonly committer: Person;
}

export interface PullRecord {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  /** The branch in this repository the pull request comes from. */
  readonly head: string;
  readonly base: string;
  state: 'open' | 'closed';
  merged: boolean;
  readonly createdAt: string;
  readonly user: string;
}

function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Git's blob id: sha1 of `blob <size>\0<bytes>`. */
export function blobSha(bytes: Buffer): string {
  return sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
}

export class RepositoryModel {
  readonly blobs = new Map<string, Buffer>();
  readonly commits = new Map<string, CommitRecord>();
  readonly branches = new Map<string, string>();
  readonly pulls: PullRecord[] = [];
  readonly id: number;

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly defaultBranch: string,
    id: number,
    readonly isPrivate: boolean,
  ) {
    this.id = id;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  commit(sha: string): CommitRecord | undefined {
    return this.commits.get(sha);
  }

  /** The tree at a branch's head; undefined when there is no such branch. */
  treeOf(branch: string): ReadonlyMap<string, string> | undefined {
    const head = this.branches.get(branch);
    return head === undefined ? undefined : this.commits.get(head)?.tree;
  }

  fileAt(branch: string, path: string): { sha: string; bytes: Buffer } | undefined {
    const blob = this.treeOf(branch)?.get(path);
    const bytes = blob === undefined ? undefined : this.blobs.get(blob);
    return blob === undefined || bytes === undefined ? undefined : { sha: blob, bytes };
  }

  /** The tree of `parent` (empty for null) with `changes` applied: bytes write a path, null removes it. */
  treeWith(parent: string | null, changes: ReadonlyMap<string, Buffer | null>): Map<string, string> {
    const tree = new Map(parent === null ? [] : (this.commits.get(parent)?.tree ?? []));
    for (const [path, bytes] of changes) {
      if (bytes === null) {
        tree.delete(path);
        continue;
      }
      const sha = blobSha(bytes);
      this.blobs.set(sha, bytes);
      tree.set(path, sha);
    }
    return tree;
  }

  /** A new commit with this tree and these parents (none for a root commit); moves `branch` to it. */
  addCommit(branch: string, parents: readonly string[], tree: ReadonlyMap<string, string>, message: string, author: Person, committer: Person): CommitRecord {
    const treeSha = sha1(
      [...tree]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([path, sha]) => `${sha} ${path}\n`)
        .join(''),
    );
    const text = [
      `tree ${treeSha}`,
      ...parents.map((p) => `parent ${p}`),
      `author ${author.name} <${author.email}> ${author.date}`,
      `committer ${committer.name} <${committer.email}> ${committer.date}`,
      '',
      message,
    ].join('\n');
    const record: CommitRecord = { sha: sha1(`commit ${text.length}\0${text}`), parents, tree, treeSha, message, author, committer };
    this.commits.set(record.sha, record);
    this.branches.set(branch, record.sha);
    return record;
  }

  /** Every commit reachable from `sha`, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  /** First-parent history of a branch, newest first. */
  history(branch: string): CommitRecord[] {
    const out: CommitRecord[] = [];
    for (let sha = this.branches.get(branch); sha !== undefined; sha = this.commits.get(sha)?.parents[0]) {
      const record = this.commits.get(sha);
      if (record === undefined) break;
      out.push(record);
    }
    return out;
  }
}
