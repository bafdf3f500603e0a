import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { interactionArrived, nextTurn } from '../../src/discord/turns.ts';

describe('turns for the work behind interactions', () => {
  it('holds work while interactions keep arriving, then lets it go in order', async () => {
    const order: string[] = [];
    const arriving = (async () => {
      for (let i = 0; i < 15; i++) {
        interactionArrived();
        await sleep(2);
      }
      order.push('arrivals over');
    })();
    interactionArrived();
    const pieces = ['a', 'b', 'c'].map((name) => nextTurn().then(() => order.push(name)));
    await Promise.all([arriving, ...pieces]);
    expect(order).toEqual(['arrivals over', 'a', 'b', 'c']);
  });

  it('lets work go when nothing arrives, without holding it for the longest hold (1.5 s)', async () => {
    await sleep(10);
    const started = performance.now();
    await nextTurn();
    // Generous for a busy machine; a held piece would wait far longer.
    expect(performance.now() - started).toBeLessThan(200);
  });
});
