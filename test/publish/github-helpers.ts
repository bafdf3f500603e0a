// What the GitHub publisher tests share: an emulator with the notes repository, requests, a captured logger.
import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '../../src/log.ts';
import { createGitHubPublisher, type GitHubRetryTuning } from '../../src/publish/github.ts';
import type { PublishRequest, Publisher } from '../../src/publish/publisher.ts';
import { startGitHubEmulator, type GitHubEmulator, type RepositoryView } from '../github-emulator/index.ts';

export const REPO = 'unikraft/meeting-notes';
export const BASE = 'staging';
export const PATH = 'hackathons/2022/2022-03-19.md';
export const BRANCH = 'notes/hackathon/2022-03-19';
/** Milliseconds per second of GitHub's advised waits, in tests. */
export const UNIT_MS = 20;

export const ROUTES = {
  repo: 'GET /repos/{owner}/{repo}',
  getRef: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
  createRef: 'POST /repos/{owner}/{repo}/git/refs',
  getContent: 'GET /repos/{owner}/{repo}/contents/{path}',
  putContent: 'PUT /repos/{owner}/{repo}/contents/{path}',
  listPulls: 'GET /repos/{owner}/{repo}/pulls',
  createPull: 'POST /repos/{owner}/{repo}/pulls',
} as const;

export function notesRequest(overrides: Partial<PublishRequest> = {}): PublishRequest {
  return {
    meetingKey: 'hackathon:2022-03-19',
    revision: 1,
    branch: BRANCH,
    path: PATH,
    content: '# Hackathon, March 19, 2022\n\n## Updates\n\n* alice: fixed the arm64 build\n',
    message: 'hackathon: Add summary of meeting on March 19, 2022\n\nSigned-off-by: Scribe <scribe@example.org>',
    author: { name: 'Scribe', email: 'scribe@example.org' },
    ...overrides,
  };
}

export interface World {
  readonly gh: GitHubEmulator;
  readonly repo: RepositoryView;
  /** Every line the publishers logged, as pino wrote it (JSON). */
  readonly lines: string[];
  readonly log: Logger;
  /** A fresh publisher, as after a restart; its own throttling id so it does not wait on an earlier one's write pacing. */
  publisher(options?: { token?: string; repository?: string; retry?: GitHubRetryTuning }): Publisher;
  /** Commits on the branch (first parent) that changed the notes file. */
  notesCommits(branch?: string): ReturnType<RepositoryView['history']>;
}

export async function startWorld(): Promise<World> {
  const gh = await startGitHubEmulator();
  const repo = gh.addRepository(REPO, { defaultBranch: 'main', files: { 'README.md': '# Meeting notes\n' } });
  gh.pushAsSomeoneElse(REPO, { branch: 'main', path: 'hackathons/2022/2022-02-19.md', content: '# An earlier hackathon\n' });
  // `staging` is made by a ref, as a maintainer would: the emulator creates branches only through the API.
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  const main = repo.branches().main;
  if (main === undefined) throw new Error('no main');
  const response = await fetch(`${gh.url}/repos/${REPO}/git/refs`, {
    method: 'POST',
    headers: { authorization: `token ${gh.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ref: `refs/heads/${BASE}`, sha: main }),
  });
  if (response.status !== 201) throw new Error(`creating ${BASE}: ${response.status}`);
  return {
    gh,
    repo,
    lines,
    log,
    publisher: (options = {}) =>
      createGitHubPublisher({
        repository: options.repository ?? REPO,
        base: BASE,
        token: options.token ?? gh.token,
        apiUrl: gh.url,
        log,
        retry: { unitMs: UNIT_MS, throttleId: randomUUID(), ...options.retry },
      }),
    notesCommits: (branch = BRANCH) => repo.history(branch).filter((c) => c.changed.includes(PATH)),
  };
}
