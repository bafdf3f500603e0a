/**
 * The meeting ends on time across restarts: a one-minute meeting, restarted in the middle, its end
 * timer re-armed from the store; then SIGKILL while the final notes are in flight (point 9 of the
 * ten) and a start-up after the scheduled end that completes it without posting anything twice.
 * The only test that waits for a real meeting end: a daily cron with seconds puts it LEAD_MS after the
 * test starts, wherever in the minute that is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteRequest } from '../../emulator/faults.ts';
import { zonedParts } from '../../../src/notes/datetime.ts';
import { openStore } from '../../../src/store/index.ts';
import { answered, botMessages, inFlight, middayZone, notesFiles, startWorld, type World } from './scribe-process.ts';
import { command, giveUpdate, occurrences, theThread, WELCOME } from './steps.ts';

let world: World | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = world;
  world = undefined;
  await done?.close();
});

/** Time for what happens before the end (two starts, three updates, a kill), with room for a loaded machine. */
const LEAD_MS = 15_000;

describe('SIGKILL at the scheduled end', () => {
  it(
    'point 9: killed while the final notes message is in flight at the scheduled end (Discord posts it): the restart posts nothing again, archives the thread, and the meeting ended at its scheduled time',
    { timeout: LEAD_MS + 40_000 },
    async () => {
      // A one-minute meeting scheduled once a day, a minute before `endsAt` (a whole second): its window is
      // open when the bot starts, and it ends LEAD_MS from now, not at a minute boundary.
      const endsAt = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
      const timeZone = middayZone();
      const [hour, minute, second] = zonedParts(new Date(endsAt - 60_000), timeZone)
        .time.split(':')
        .map(Number);
      world = await startWorld({ durationMinutes: 1, timeZone, open: `${second} ${minute} ${hour} * * *` });
      const w = world;
      await w.start();
      const threadId = theThread(w);
      const welcome = botMessages(w, threadId).find((m) => WELCOME.test(m.content));
      const endsAtMs = Number(/<t:(\d+):t>/.exec(welcome?.content ?? '')?.[1]) * 1000;
      expect(endsAtMs).toBe(endsAt);
      const { alice, bob, carol } = w.guild.members;
      await giveUpdate(w, alice, threadId, '* alice before the restart');
      await giveUpdate(w, bob, threadId, '* bob before the restart');

      // A plain crash in the middle of the meeting: the end timer comes back from the store.
      await w.live.kill('SIGKILL');
      await w.start();
      await giveUpdate(w, carol, threadId, '* carol after the restart');
      // Otherwise the end would not be the re-armed timer's, and the final post might not be held.
      expect(Date.now(), `the steps before the end took more than LEAD_MS (${LEAD_MS} ms)`).toBeLessThan(endsAt - 1_000);

      const finalPost = (r: RouteRequest) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`;
      w.emu.delayRoute(finalPost, 1_000, 1);
      const held = await inFlight(w.emu, finalPost, LEAD_MS + 10_000);
      const finalPostSeenAt = Date.now();
      await w.live.kill('SIGKILL');
      await answered(w.emu, held);
      expect(notesFiles(w, threadId)).toHaveLength(1);
      expect(w.emu.channel(threadId)?.thread?.archived).toBe(false);

      await w.start();
      expect(w.emu.channel(threadId)?.thread?.archived).toBe(true);
      const status = await command(w, w.guild.members.maintainer, threadId, 'meeting status');
      expect(status.content).toMatch(/\(ended\)/);
      const files = notesFiles(w, threadId);
      expect(files).toHaveLength(1);
      for (const line of ['* alice before the restart\n', '* bob before the restart\n', '* carol after the restart\n'])
        expect(occurrences(files[0] ?? '', line)).toBe(1);
      expect(botMessages(w, threadId).filter((m) => !WELCOME.test(m.content))).toHaveLength(1);
      expect(w.emu.threads(w.guild.textChannelId)).toHaveLength(1);

      expect((await w.live.kill('SIGTERM')).code).toBe(0);
      const store = await openStore(w.storeUrl);
      try {
        const key = `hackathon/${/Hackathon (\d{4}-\d{2}-\d{2})/.exec(w.emu.channel(threadId)?.name ?? '')?.[1]}`;
        const meeting = await store.meetings.get(key);
        expect(meeting?.status).toBe('ended');
        expect(meeting?.endedAt).toBe(meeting?.endsAt);
        expect(Math.floor(Date.parse(meeting?.endsAt ?? '') / 1000) * 1000).toBe(endsAtMs);
        // Not early: the end fired at or after the scheduled time.
        expect(finalPostSeenAt).toBeGreaterThanOrEqual(Date.parse(meeting?.endsAt ?? ''));
        expect(meeting?.summary?.completedAt).toBeDefined();
        expect(meeting?.summaryRevision).toBe(1);
      } finally {
        await store.close();
      }
    },
  );
});
