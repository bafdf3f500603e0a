import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { claim, ClaimOwner, whileClaimed, type ClaimContext } from '../../src/meetings/claim.ts';
import type { Store } from '../../src/meetings/records.ts';
import { openStore } from '../../src/store/index.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function contexts(): Promise<{ clock: ManualClock; as: (owner: ClaimOwner) => ClaimContext }> {
  const opened = await openStore('memory://', { namespace: `claims${String(Math.random()).slice(2)}` });
  store = opened;
  const clock = new ManualClock('2026-12-07T10:00:00Z');
  return { clock, as: (claimOwner) => ({ store: opened, clock, log: silent, claimOwner }) };
}

describe('claims', () => {
  it('a claim left by an earlier run of the same process (same name) is taken back at once', async () => {
    const { as } = await contexts();
    // The first run holds the claim and dies without releasing it.
    const first = await claim(as(new ClaimOwner('host/shards-0')), 'meeting:x');
    expect('lease' in first).toBe(true);
    const restarted = await claim(as(new ClaimOwner('host/shards-0')), 'meeting:x');
    expect('lease' in restarted).toBe(true);
  });

  it("another process's live claim is waited for, and taken over only once its lease has expired", async () => {
    const { clock, as } = await contexts();
    await claim(as(new ClaimOwner('host-a/shards-0')), 'meeting:x');
    let settledAsked = 0;
    const waiting = claim(as(new ClaimOwner('host-b/shards-0')), 'meeting:x', async () => {
      settledAsked += 1;
      if (settledAsked === 2) clock.advance(16_000);
      return undefined;
    });
    const result = await waiting;
    expect('lease' in result).toBe(true);
    expect(settledAsked).toBeGreaterThanOrEqual(2);
  });

  it('a claim held by this very process is not taken back: the second step waits for the first', async () => {
    const { as } = await contexts();
    const owner = new ClaimOwner('host/shards-0');
    const order: string[] = [];
    let release: () => void = () => undefined;
    const first = whileClaimed(as(owner), 'meeting:x', async () => {
      order.push('first starts');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first ends');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = whileClaimed(as(owner), 'meeting:x', async () => {
      order.push('second');
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual(['first starts']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second']);
  });
});
