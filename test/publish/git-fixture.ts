/** A local bare repository and plain git helpers for the publisher's tests (real git, a tmp dir per test). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Fixture {
  readonly root: string;
  /** The bare repository (the "remote"). */
  readonly bare: string;
  /** Another person's clone, for concurrent pushes. */
  readonly other: string;
  git(cwd: string, ...args: string[]): string;
  /** `git log` of a branch in the bare repository: subject lines, newest first. */
  log(branch: string, format?: string): string[];
  /** A file at a branch in the bare repository, exactly as stored. */
  show(branch: string, path: string): string;
  /** Commits and pushes a file as another person. */
  pushAsOther(branch: string, path: string, content: string, message: string): void;
  close(): void;
}

const IDENTITY = ['-c', 'user.name=Other Person', '-c', 'user.email=other@example.org', '-c', 'init.defaultBranch=main', '-c', 'core.autocrlf=false'];

export function createFixture(): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'scribe-publish-'));
  const bare = join(root, 'notes.git');
  const other = join(root, 'other');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git(root, 'init', '-q', '--bare', bare);
  git(root, 'clone', '-q', bare, other);
  // The notes repository as it is before Scribe: a README on main.
  writeFileSync(join(other, 'README.md'), '# Meeting notes\n');
  git(other, 'add', 'README.md');
  git(other, 'commit', '-q', '-m', 'Initial commit');
  git(other, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
  return {
    root,
    bare,
    other,
    git,
    log: (branch, format = '%s') =>
      git(bare, 'log', `--format=${format}`, branch)
        .split('\n')
        .filter((l) => l !== ''),
    show: (branch, path) => git(bare, 'show', `${branch}:${path}`),
    pushAsOther(branch, path, content, message) {
      git(other, 'fetch', '-q', 'origin');
      git(other, 'checkout', '-q', '-B', branch, `origin/${branch}`);
      mkdirSync(dirname(join(other, path)), { recursive: true });
      writeFileSync(join(other, path), content);
      git(other, 'add', path);
      git(other, 'commit', '-q', '-m', message);
      git(other, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
    },
    close: () => rmSync(root, { recursive: true, force: true }),
  };
}
