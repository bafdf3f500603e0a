import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitPublisher } from '../../src/publish/git.ts';
import type { PublishRequest } from '../../src/publish/publisher.ts';
import { readExample } from '../bot/seed-meeting.ts';
import { createFixture, type Fixture } from './git-fixture.ts';

const NOTES = readExample('hackathon-2022-03-19.md');
const PATH = 'hackathons/2022/2022-03-19.md';
const MESSAGE = 'community: Add summary of meeting on March 19, 2022\n\nSigned-off-by: Scribe <scribe@example.org>';

function request(overrides: Partial<PublishRequest> = {}): PublishRequest {
  return {
    meetingKey: 'hackathon/2022-03-19',
    revision: 1,
    branch: 'main',
    path: PATH,
    content: NOTES,
    message: MESSAGE,
    author: { name: 'Scribe', email: 'scribe@example.org' },
    ...overrides,
  };
}

function hook(clone: string, name: string, script: string): void {
  mkdirSync(join(clone, '.git', 'hooks'), { recursive: true });
  const file = join(clone, '.git', 'hooks', name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

describe('the git publisher against a local bare repository', () => {
  let fx: Fixture;
  let clone: string;
  beforeEach(() => {
    fx = createFixture();
    clone = join(fx.root, 'work');
  });
  afterEach(() => fx.close());

  it('commits the notes byte for byte at the path, with the author, the message and the sign-off; revision 2 is a second commit; unchanged is no commit', async () => {
    const publisher = createGitPublisher({ remote: fx.bare, dir: clone });
    const first = await publisher.publish(request());
    expect(first.changed).toBe(true);
    expect(fx.show('main', PATH)).toBe(NOTES);
    expect(fx.git(fx.bare, 'rev-parse', 'main').trim()).toBe(first.commit);
    expect(fx.log('main', '%an <%ae>|%cn <%ce>')[0]).toBe('Scribe <scribe@example.org>|Scribe <scribe@example.org>');
    expect(fx.git(fx.bare, 'log', '-1', '--format=%B', 'main')).toBe(`${MESSAGE}\n\n`);
    expect(fx.git(fx.bare, 'show', '--name-only', '--format=', 'main').trim()).toBe(PATH);
    expect(fx.show('main', 'README.md')).toBe('# Meeting notes\n');

    const revised = `${NOTES}\nA late line.\n`;
    const second = await publisher.publish(request({ revision: 2, content: revised }));
    expect(second.changed).toBe(true);
    expect(fx.show('main', PATH)).toBe(revised);
    expect(fx.log('main')).toEqual([
      'community: Add summary of meeting on March 19, 2022',
      'community: Add summary of meeting on March 19, 2022',
      'Initial commit',
    ]);
    expect(fx.git(fx.bare, 'rev-parse', 'main~1').trim()).toBe(first.commit);

    const again = await publisher.publish(request({ revision: 3, content: revised }));
    expect(again).toMatchObject({ changed: false, commit: second.commit });
    expect(fx.log('main')).toHaveLength(3);
  });

  it('starts a branch of its own from the default branch, and later publishes add to it', async () => {
    const publisher = createGitPublisher({ remote: fx.bare, dir: clone });
    const mainHead = fx.git(fx.bare, 'rev-parse', 'main').trim();
    const first = await publisher.publish(request({ branch: 'notes/hackathon/2022-03-19' }));
    expect(fx.git(fx.bare, 'rev-parse', 'notes/hackathon/2022-03-19~1').trim()).toBe(mainHead);
    expect(fx.git(fx.bare, 'rev-parse', 'main').trim()).toBe(mainHead);
    await publisher.publish(request({ branch: 'notes/hackathon/2022-03-19', revision: 2, content: `${NOTES}x\n` }));
    expect(fx.git(fx.bare, 'rev-parse', 'notes/hackathon/2022-03-19~1').trim()).toBe(first.commit);

    // The default branch already holds the file: the new branch is made on it, with no commit of its own.
    await publisher.publish(request());
    const onMain = await publisher.publish(request({ branch: 'notes/again' }));
    expect(onMain).toMatchObject({ changed: false, commit: fx.git(fx.bare, 'rev-parse', 'main').trim() });
    expect(fx.git(fx.bare, 'rev-parse', 'notes/again').trim()).toBe(onMain.commit);
  });

  it('keeps a concurrent push by someone else: the refused push is redone on top, never forced', async () => {
    const publisher = createGitPublisher({ remote: fx.bare, dir: clone });
    await publisher.publish(request());
    // Just before Scribe's next push lands, another person pushes to the same branch (once).
    const raced = join(fx.root, 'raced');
    hook(
      clone,
      'pre-push',
      `[ -f '${raced}' ] && exit 0; touch '${raced}'
cd '${fx.other}' && unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
git fetch -q origin && git checkout -q -B main origin/main && echo 'other' > OTHER.md && git add OTHER.md && git -c user.name=Other -c user.email=o@x commit -q -m 'Someone else' && git push -q origin HEAD:main`,
    );
    const revised = `${NOTES}\nrev 2\n`;
    const result = await publisher.publish(request({ revision: 2, content: revised }));
    expect(result.changed).toBe(true);
    expect(fx.log('main')).toEqual([
      'community: Add summary of meeting on March 19, 2022',
      'Someone else',
      'community: Add summary of meeting on March 19, 2022',
      'Initial commit',
    ]);
    expect(fx.show('main', 'OTHER.md')).toBe('other\n');
    expect(fx.show('main', PATH)).toBe(revised);
  });

  it('replaces a file someone edited on the branch in a new commit on top, their edit kept in history', async () => {
    const publisher = createGitPublisher({ remote: fx.bare, dir: clone });
    await publisher.publish(request());
    fx.pushAsOther('main', PATH, 'edited by hand\n', 'Fix a typo');
    const result = await publisher.publish(request({ revision: 2 }));
    expect(result.changed).toBe(true);
    expect(fx.show('main', PATH)).toBe(NOTES);
    expect(fx.log('main').slice(0, 2)).toEqual(['community: Add summary of meeting on March 19, 2022', 'Fix a typo']);
    expect(fx.show('main~1', PATH)).toBe('edited by hand\n');
  });

  it('kill -9 of the publishing process between commit and push (a pre-push hook kills it): a fresh run pushes exactly one commit', async () => {
    fx.git(fx.root, 'init', '-q', clone);
    hook(clone, 'pre-push', 'kill -9 "$SCRIBE_TEST_PID"; kill -9 "$PPID"; exit 1');
    const child = promisify(execFile)(
      process.execPath,
      [resolve('bin/run-ts.mjs'), 'test/publish/publish-child.ts', fx.bare, clone, JSON.stringify(request({ branch: 'notes/hackathon/2022-03-19' }))],
      { encoding: 'utf8' },
    );
    await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });
    // Committed in the working clone, not pushed.
    expect(fx.git(clone, 'log', '-1', '--format=%s', 'notes/hackathon/2022-03-19').trim()).toBe('community: Add summary of meeting on March 19, 2022');
    expect(() => fx.git(fx.bare, 'rev-parse', '--verify', '-q', 'refs/heads/notes/hackathon/2022-03-19')).toThrow();

    rmSync(join(clone, '.git', 'hooks', 'pre-push'));
    const result = await createGitPublisher({ remote: fx.bare, dir: clone }).publish(request({ branch: 'notes/hackathon/2022-03-19' }));
    expect(result.changed).toBe(true);
    expect(fx.log('notes/hackathon/2022-03-19')).toEqual(['community: Add summary of meeting on March 19, 2022', 'Initial commit']);
    expect(fx.show('notes/hackathon/2022-03-19', PATH)).toBe(NOTES);

    // A crash after the push and before Scribe recorded it: publishing again commits nothing.
    const again = await createGitPublisher({ remote: fx.bare, dir: clone }).publish(request({ branch: 'notes/hackathon/2022-03-19' }));
    expect(again).toMatchObject({ changed: false, commit: result.commit });
    expect(fx.log('notes/hackathon/2022-03-19')).toHaveLength(2);
  }, 30_000);

  it('publishes into an empty repository', async () => {
    const empty = join(fx.root, 'empty.git');
    fx.git(fx.root, 'init', '-q', '--bare', empty);
    const result = await createGitPublisher({ remote: empty, dir: clone }).publish(request());
    expect(result.changed).toBe(true);
    expect(fx.git(empty, 'show', `main:${PATH}`)).toBe(NOTES);
    expect(fx.git(empty, 'log', '--format=%s', 'main').trim()).toBe('community: Add summary of meeting on March 19, 2022');
  });

  it('never shows the credentials of a remote URL in its errors', async () => {
    const publisher = createGitPublisher({ remote: 'http://scribe:s3cr3t-token@127.0.0.1:9/notes.git', dir: clone, silenceTimeoutMs: 10_000 });
    const failure = await publisher.publish(request()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(String((failure as Error).message)).toContain('127.0.0.1:9');
    expect(String((failure as Error).message)).not.toContain('s3cr3t-token');
    expect(JSON.stringify(failure) + String((failure as Error).stack)).not.toContain('s3cr3t-token');
  });
});
