/**
 * The whole Scribe process SIGKILLed between the commit and the push of the final notes: a pre-push
 * hook in Scribe's working clone kills `scribe start` (and the git under it) once git has committed.
 * The next start finishes the pending publish by itself: exactly one commit reaches the repository.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWorld, type World } from '../faults/process/scribe-process.ts';
import { command, giveUpdate, theThread } from '../faults/process/steps.ts';
import { createFixture, type Fixture } from './git-fixture.ts';

let world: World | undefined;
let fx: Fixture | undefined;
afterEach(async () => {
  await world?.close();
  fx?.close();
  world = undefined;
  fx = undefined;
});

describe('SIGKILL of scribe between the commit and the push of the notes', () => {
  it('the restart pushes exactly one commit holding the notes, and /meeting status says so', { timeout: 90_000 }, async () => {
    fx = createFixture();
    const author = { name: 'Scribe', email: 'scribe@example.org' };
    world = await startWorld({ extra: { publish: { kind: 'git', remote: fx.bare, branch: 'main', author } } });
    const w = world;
    const first = await w.start();
    const threadId = theThread(w);
    await giveUpdate(w, w.guild.members.alice, threadId, '* published after a crash');

    // Scribe's working clone for this remote (create-publisher.ts names it by the remote's hash), with the killing hook.
    const clone = join(w.dir, 'data', 'publish', createHash('sha256').update(fx.bare).digest('hex').slice(0, 16));
    mkdirSync(clone, { recursive: true });
    fx.git(clone, 'init', '-q');
    const hook = join(clone, '.git', 'hooks', 'pre-push');
    writeFileSync(hook, `#!/bin/sh\nkill -9 ${String(first.child.pid)}\nkill -9 "$PPID"\nexit 1\n`);
    chmodSync(hook, 0o755);

    void w.emu.slash(w.guild.members.maintainer, threadId, 'meeting end');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(fx.log('main')).toEqual(['Initial commit']);
    const committed = fx.git(clone, 'log', '-1', '--format=%s', 'main').trim();
    expect(committed).toMatch(/^community: Add summary of meeting on \w+ \d{1,2}, \d{4}$/);

    rmSync(hook);
    await w.start();
    await vi.waitFor(() => expect(fx?.log('main')).toEqual([committed, 'Initial commit']), { timeout: 30_000, interval: 200 });
    const [file] = fx.git(fx.bare, 'show', '--name-only', '--format=', 'main').trim().split('\n');
    expect(file).toMatch(/^hackathons\/\d{4}\/\d{4}-\d{2}-\d{2}\.md$/);
    const notes = fx.show('main', file ?? '');
    expect(notes).toContain('* published after a crash\n');
    expect(notes).toBe(w.emu.messages(threadId).at(-1)?.attachments[0]?.text());

    const status = await command(w, w.guild.members.maintainer, threadId, 'meeting status');
    expect(status.content).toContain(
      `Published revision 1 to ${fx.bare} (main, ${file ?? ''}): commit ${fx.git(fx.bare, 'rev-parse', 'main').trim().slice(0, 12)}`,
    );
    expect(fx.log('main')).toHaveLength(2);
  });
});
