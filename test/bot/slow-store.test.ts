import { setTimeout as sleep } from 'node:timers/promises';
import { RESTEvents, type APIRequest } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/meetings/records.ts';
import { startHarness, type Harness } from './harness.ts';
import { startMeeting } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = h;
  h = undefined;
  await done?.close();
});

/** A store whose update reads or writes take `ms` longer while `when()` holds (a backend that answers late). */
function slowUpdates(operation: 'get' | 'put', ms: number, when: () => boolean): (store: Store) => Store {
  const late = async (op: 'get' | 'put') => {
    if (op === operation && when()) await sleep(ms);
  };
  return (store) => ({
    ...store,
    clear: store.clear.bind(store),
    close: store.close.bind(store),
    updates: {
      ...store.updates,
      get: async (key, userId) => {
        await late('get');
        return store.updates.get(key, userId);
      },
      put: async (record) => {
        await late('put');
        return store.updates.put(record);
      },
    },
  });
}

describe('a save slower than a second', () => {
  it('defers the form submission at once, then replaces the deferral with "Saved" through the interaction\'s own REST', async () => {
    let slow = false;
    h = await startHarness({ now: '2022-03-19T08:00:00Z', wrapStore: slowUpdates('put', 1_500, () => slow) });
    const harness = h;
    const thread = await startMeeting(harness);
    const { alice } = harness.guild.members;
    const form = await harness.emu.slash(alice, thread, 'update').waitForAck();
    slow = true;
    const viaBotRest: string[] = [];
    const onResponse = (request: APIRequest): void => {
      viaBotRest.push(request.path);
    };
    harness.bot.client.rest.on(RESTEvents.Response, onResponse);
    const submitted = harness.emu.submitModal(alice, thread, String(form.data?.custom_id), { bullets: '* saved slowly' });
    const ack = await submitted.waitForAck(5_000);
    expect(ack.type).toBe(5);
    expect(Number(ack.data?.flags) & 64).toBe(64);
    // Acknowledged without waiting for the write, which takes 1.5 s here.
    expect(ack.latencyMs).toBeLessThan(500);
    expect(submitted.original()?.content ?? '').not.toContain('Saved');
    expect(await harness.store.updates.get('hackathon/2022-03-19', alice)).toBeUndefined();
    const answer = await submitted.waitForAnswer(undefined, 5_000);
    harness.bot.client.rest.off(RESTEvents.Response, onResponse);
    expect(answer.content).toMatch(/^Saved\. Your update, as it will appear in the notes:/);
    expect(answer.content).toContain('* saved slowly');
    // The edit went through the REST kept for interaction tokens, outside the bot's global cap.
    expect(viaBotRest.filter((path) => path.startsWith('/webhooks/'))).toEqual([]);
    expect(harness.emu.violations()).toEqual([]);
    expect((await harness.store.updates.get('hackathon/2022-03-19', alice))?.update.bullets.map((b) => b.text)).toEqual(['saved slowly']);
  });
});

describe("a store slower than Discord's 3 seconds", () => {
  it('answers /update in time with a clear message instead of leaving the interaction unanswered', async () => {
    let slow = false;
    h = await startHarness({ now: '2022-03-19T08:00:00Z', wrapStore: slowUpdates('get', 4_000, () => slow) });
    const thread = await startMeeting(h);
    slow = true;
    const asked = h.emu.slash(h.guild.members.alice, thread, 'update');
    const ack = await asked.waitForAck(5_000);
    expect(ack.accepted).toBe(true);
    expect(ack.type).toBe(4);
    expect(ack.data?.content).toBe('The storage is slow to answer right now, so the form cannot be opened. Please try again in a minute.');
    expect(Number(ack.data?.flags) & 64).toBe(64);
    expect(h.emu.violations()).toEqual([]);

    slow = false;
    const again = await h.emu.slash(h.guild.members.alice, thread, 'update').waitForAck();
    expect(again.type).toBe(9);
  });
});
