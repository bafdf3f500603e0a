/**
 * kill -9 of one shard process in the middle of its meetings, with updates arriving: the manager starts
 * it again, it resumes, and every update it confirmed is in the notes, posted once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../faults/process/scribe-process.ts';
import { giveUpdate, notesFiles, openingProgress, REDIS_URL, startShardedWorld, welcomesByGuild, type ShardedWorld } from './sharded-world.ts';

let world: ShardedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('a shard process killed', { timeout: 180_000 }, () => {
  it('is started again by the manager; confirmed updates kept, one thread and one notes revision per meeting', async () => {
    world = await startShardedWorld({ guilds: 40, shards: 2, storeUrl: REDIS_URL });
    const w = world;
    const manager = await w.startManager({ SCRIBE_SHARDS: '2' });
    await until(
      () => welcomesByGuild(w).every((g) => g.welcomes >= 1),
      () => openingProgress(w),
      60_000,
    );
    const started = manager.logs().filter((l) => l['msg'] === 'shard process started' && l['shard'] === 1);
    const pid = started.at(-1)?.['pid'];
    expect(typeof pid).toBe('number');

    // Updates arrive in every guild while shard 1's process is killed.
    const first = Promise.all(w.guilds.map((g) => giveUpdate(w, g, g.members.alice, `* alice in ${g.guildId}`)));
    process.kill(Number(pid), 'SIGKILL');
    const firstAnswers = await first;
    // Scribe's own "ready" (its schedule armed and its meetings caught up), not only discord.js's: on a
    // busy machine the catch-up can hold a form past Discord's 3 s. The new process's, by its pid: the
    // killed one may have died before logging its own.
    await until(() => manager.logs().some((l) => l['msg'] === 'ready' && l['shard'] === 1 && l['pid'] !== pid), 'shard 1 ready again', 60_000);

    const second = await Promise.all(w.guilds.map((g) => giveUpdate(w, g, g.members.bob, `* bob in ${g.guildId}`)));
    expect(second.filter((a) => !a.includes('Saved'))).toEqual([]);
    const summaries = await Promise.all(
      w.guilds.map(async (g) => {
        const thread = w.emu.threads(g.textChannelId)[0]?.id ?? '';
        return (await w.emu.slash(g.members.maintainer, thread, 'summary').waitForAnswer(undefined, 20_000)).content;
      }),
    );
    expect(summaries.filter((s) => !s.startsWith('Posted revision 1'))).toEqual([]);

    expect(welcomesByGuild(w).filter((g) => g.threads !== 1 || g.welcomes !== 1)).toEqual([]);
    for (const [i, g] of w.guilds.entries()) {
      const files = notesFiles(w, g);
      expect(files).toHaveLength(1);
      if (firstAnswers[i]?.includes('Saved')) expect(files[0]).toContain(`* alice in ${g.guildId}`);
      expect(files[0]).toContain(`* bob in ${g.guildId}`);
    }
    // What Discord shows for the updates the dead process never saw: interactions not acknowledged.
    const unconfirmed = firstAnswers.filter((a) => !a.includes('Saved')).length;
    expect(unconfirmed).toBeGreaterThan(0);
    const violations = w.emu.violations();
    expect(violations.filter((v) => v.kind !== 'no-ack')).toEqual([]);
    expect(violations.length).toBeLessThanOrEqual(unconfirmed);
  });
});
