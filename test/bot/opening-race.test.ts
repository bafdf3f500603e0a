/**
 * Discord announces a meeting's thread to members as soon as it exists, before the opening has recorded
 * it in the store (under load, 2,500 meetings opening at one minute, a third of the updates given at
 * once came in that window): an /update there is the opening meeting's, and saved once it is open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MeetingRecord, Store } from '../../src/meetings/records.ts';
import { startHarness, type Harness } from './harness.ts';
import { eventually } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A store that holds the opening's write of its new thread's id (the thread exists on Discord) until `release()`. */
function holdingThreadId(): { wrap: (store: Store) => Store; held: () => boolean; release: () => void } {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const wait = async (): Promise<void> => {
    held = true;
    await gate;
  };
  const wrap = (store: Store): Store => ({
    ...store,
    clear: store.clear.bind(store),
    close: store.close.bind(store),
    meetings: {
      get: (key) => store.meetings.get(key),
      delete: (key) => store.meetings.delete(key),
      byThread: (threadId) => store.meetings.byThread(threadId),
      putThread: (threadId, key) => store.meetings.putThread(threadId, key),
      put: async (record: MeetingRecord) => {
        if (record.status === 'opening' && record.threadId !== undefined) await wait();
        return store.meetings.put(record);
      },
    },
  });
  return { wrap, held: () => held, release: () => release() };
}

describe('an /update in a meeting thread the opening has not recorded yet', () => {
  it('is saved to the opening meeting once it is open, never refused', async () => {
    const gate = holdingThreadId();
    // A Friday: no scheduled meeting opens at start; /meeting start opens one by hand.
    h = await startHarness({ now: '2022-03-18T08:00:00Z', wrapStore: gate.wrap });
    const harness = h;
    const { maintainer, alice } = harness.guild.members;
    const start = harness.emu.slash(maintainer, harness.guild.textChannelId, 'meeting start');
    await eventually(() => gate.held() && harness.emu.threads(harness.guild.textChannelId).length === 1);
    const thread = harness.emu.threads(harness.guild.textChannelId)[0]?.id ?? '';

    const update = harness.emu.slash(alice, thread, 'update', { text: 'came before the thread was recorded' });
    const ack = await update.waitForAck(5_000);
    expect(ack.type).toBe(5);
    gate.release();
    const answer = await update.waitForAnswer(undefined, 5_000);
    expect(answer.content).toMatch(/^Saved\b/);
    expect((await start.waitForAnswer(undefined, 5_000)).content).toContain(`<#${thread}>`);
    const stored = await harness.store.updates.get('hackathon/2022-03-18', alice);
    expect(stored?.update.bullets.map((b) => b.text)).toEqual(['came before the thread was recorded']);
    expect(harness.emu.threads(harness.guild.textChannelId)).toHaveLength(1);
  });
});
