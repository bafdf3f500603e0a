/**
 * The token never leaks: a whole meeting at LOG_LEVEL=trace, with Discord errors on the way (5xx, 429,
 * a gateway drop, a failing command, a refused token at start-up), and then every byte Scribe wrote
 * (stdout, stderr, every message and reply, every notes file, the store file) is searched for the
 * token and for its secret part.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notesFiles, startWorld, until, type World } from './scribe-process.ts';
import { command, giveUpdate, theThread } from './steps.ts';

let world: World | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = world;
  world = undefined;
  await done?.close();
});

describe('secrets', () => {
  it(
    'the token appears nowhere in the logs at trace level, in replies (error replies included), in the notes or in the store',
    { timeout: 60_000 },
    async () => {
      world = await startWorld();
      const w = world;
      const token = w.emu.token;
      // The part that makes it a secret (the first part is only the bot's id in base64).
      const secret = token.split('.').at(-1) ?? token;
      expect(secret.length).toBeGreaterThan(20);

      // A refused token at start-up: its error message must not echo it.
      w.expectRefusal({ kind: 'unauthorized', route: 'GET /gateway/bot', because: 'Scribe started with a wrong token', atMost: 1 });
      await expect(w.start({ logLevel: 'trace', env: { DISCORD_TOKEN: `${token}x` } })).rejects.toThrow(/exited/);
      expect(w.processes[0]?.exitCode?.code).toBe(1);
      expect(w.processes[0]?.stderr).toMatch(/Discord refused the token/);

      const p = await w.start({ logLevel: 'trace' });
      const threadId = theThread(w);
      const { alice, bob, maintainer } = w.guild.members;
      await giveUpdate(w, alice, threadId, '* alice gave an update');
      // Rate limits and a dropped gateway connection on the way.
      w.emu.rateLimit('/callback', 2, { retryAfter: 0.2 });
      await giveUpdate(w, bob, threadId, '* bob gave one too');
      w.emu.closeGateway(4000);
      await until(() => w.emu.sessions().some((s) => s.connected && s.resumes > 0), 'the gateway resumed');
      expect((await command(w, alice, threadId, 'name set', { name: 'Alice Example' })).content).not.toBe('');
      // A failing Discord call inside a command: logged as an error, answered with an apology.
      w.emu.failRoute(`POST /channels/${threadId}/messages`, 8, 500);
      const failed = await command(w, maintainer, threadId, 'summary');
      expect(failed.content).toMatch(/went wrong|try again/i);
      w.emu.clearFaults();
      await command(w, maintainer, threadId, 'summary');
      await command(w, maintainer, threadId, 'meeting status');
      await command(w, maintainer, threadId, 'meeting end');
      expect((await p.kill('SIGTERM')).code).toBe(0);

      const logs = w.processes.map((x) => x.stdout + x.stderr).join('\n');
      // Trace level really was on, and errors were logged with their details.
      expect(p.logs().some((l) => l.level === 50)).toBe(true);
      expect(logs.length).toBeGreaterThan(2_000);
      const replies = [w.guild.textChannelId, threadId]
        .flatMap((c) => w.emu.messages(c, { includeEphemeral: true }))
        .map((m) => JSON.stringify({ content: m.content, embeds: m.embeds, components: m.components }));
      expect(replies.length).toBeGreaterThan(8);
      const notes = notesFiles(w, threadId);
      expect(notes.length).toBeGreaterThanOrEqual(1);
      // The database and, in WAL mode, its log and index files, whichever are left.
      const storeFiles = readdirSync(w.dir).filter((f) => f.startsWith('scribe.sqlite'));
      expect(storeFiles).toContain('scribe.sqlite');
      const storeBytes = storeFiles.map((f) => readFileSync(join(w.dir, f)).toString('latin1')).join('\n');

      for (const [where, text] of [
        ['logs', logs],
        ['replies and messages', replies.join('\n')],
        ['notes', notes.join('\n')],
        ['store', storeBytes],
      ] as const) {
        expect(text.includes(secret), `the token's secret part in the ${where}`).toBe(false);
        expect(text.includes(token), `the token in the ${where}`).toBe(false);
      }
    },
  );
});
