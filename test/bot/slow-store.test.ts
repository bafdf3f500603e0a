import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/records.ts';
import { startHarness, type Harness } from './harness.ts';
import { startMeeting } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A store whose reads of updates hang for `ms` (a backend that accepts connections but answers late). */
function slowUpdates(ms: number, when: () => boolean): (store: Store) => Store {
  return (store) => ({
    ...store,
    listUpdates: store.listUpdates.bind(store),
    clear: store.clear.bind(store),
    close: store.close.bind(store),
    updates: {
      ...store.updates,
      get: async (key, userId) => {
        if (when()) await sleep(ms);
        return store.updates.get(key, userId);
      },
    },
  });
}

describe('a store slower than Discord\'s 3 seconds', () => {
  it('answers /update in time with a clear message instead of leaving the interaction unanswered', async () => {
    let slow = false;
    h = await startHarness({ now: '2022-03-19T08:00:00Z', wrapStore: slowUpdates(4_000, () => slow) });
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
