import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { interactionArrived, nextTurn } from '../../src/discord/turns.ts';

// Fake time (timers, immediates and performance.now), so that what counts as a pause does not depend
// on how busy the machine is; one clock for the whole file, as the module keeps the last arrival's time.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
});
afterAll(() => {
  vi.useRealTimers();
});

describe('turns for the work behind interactions', () => {
  it('holds work while interactions keep arriving, then lets it go in order', async () => {
    const order: string[] = [];
    interactionArrived();
    const pieces = ['a', 'b', 'c'].map((name) => nextTurn().then(() => order.push(name)));
    // An interaction every 2 ms for 30 ms: no pause of 5 ms, so nothing goes.
    for (let i = 0; i < 15; i++) {
      await vi.advanceTimersByTimeAsync(2);
      interactionArrived();
    }
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(pieces);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('holds work no longer than 1.5 s however long interactions keep arriving', async () => {
    let released = false;
    interactionArrived();
    const piece = nextTurn().then(() => (released = true));
    for (let t = 0; t < 1_400; t += 2) {
      await vi.advanceTimersByTimeAsync(2);
      interactionArrived();
    }
    expect(released).toBe(false);
    for (let t = 0; t < 200 && !released; t += 2) {
      await vi.advanceTimersByTimeAsync(2);
      interactionArrived();
    }
    await piece;
    expect(released).toBe(true);
  });

  it('lets work go at once when nothing has arrived for a while', async () => {
    await vi.advanceTimersByTimeAsync(100);
    let released = false;
    const piece = nextTurn().then(() => (released = true));
    await vi.advanceTimersByTimeAsync(0);
    await piece;
    expect(released).toBe(true);
  });
});
