/**
 * METRICS_PORT: Scribe as a process serves Prometheus metrics and /healthz. Counts and latencies move
 * with what happens; /healthz is 200 while the gateway is ready (its 503 is in server.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../faults/process/scribe-process.ts';
import { giveUpdate, theThread } from '../faults/process/steps.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A port unlikely to be taken: the test's own pid spread over a high range. */
const port = 20_000 + (process.pid % 20_000);

async function get(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, text: await response.text() };
}

/** The value of one sample line, e.g. `scribe_interactions_total{kind="command",name="update",shard="0"}`. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels}`) || (labels === '' && l.startsWith(`${name}{`)));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('METRICS_PORT', { timeout: 60_000 }, () => {
  it('serves the counts and the acknowledgement latency, and /healthz is 200 once ready', async () => {
    world = await startWorld();
    const w = world;
    await w.start({ env: { METRICS_PORT: String(port) } });
    expect(await get('/healthz')).toEqual({ status: 200, text: 'ready\n' });
    const before = (await get('/metrics')).text;
    expect(sample(before, 'scribe_meetings_open')).toBe(1);
    expect(sample(before, 'scribe_updates_stored_total')).toBe(0);

    const saved = await giveUpdate(w, w.guild.members.alice, theThread(w), '* measured');
    expect(saved.content).toContain('Saved');
    const after = (await get('/metrics')).text;
    expect(sample(after, 'scribe_interactions_total', '{kind="command",name="update"')).toBe(1);
    expect(sample(after, 'scribe_interactions_total', '{kind="modal",name="update"')).toBe(1);
    expect(sample(after, 'scribe_interaction_ack_seconds_count')).toBe(2);
    expect(sample(after, 'scribe_updates_stored_total')).toBe(1);
    expect(await get('/nothing')).toMatchObject({ status: 404 });

    expect(w.emu.violations()).toEqual([]);
  });
});
