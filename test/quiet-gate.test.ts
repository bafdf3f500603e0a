import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietGate, type QuietGateOptions } from '../src/quiet-gate.ts';

/** Calls `gate.pass()` and records when (in fake milliseconds) it let the caller through. */
function track(gate: QuietGate, passedAt: Map<number, number>, id: number): Promise<void> {
  return gate.pass().then(() => {
    passedAt.set(id, Date.now());
  });
}

/** Caller 1, tracked; something arrives in the turn it goes through. */
function trackThenArrive(gate: QuietGate, passedAt: Map<number, number>): Promise<void> {
  return track(gate, passedAt, 1).then(() => gate.arrived());
}

/** Lets the gate's turns of the event loop (real setImmediate) run. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Advances fake time a millisecond at a time, letting the event loop turn after each. */
async function step(ms: number): Promise<void> {
  for (let i = 0; i < ms; i += 1) {
    await vi.advanceTimersByTimeAsync(1);
    await turns();
  }
}

describe('QuietGate', () => {
  beforeEach(() => {
    // Only time and timeouts are faked: the gate's one-caller-per-turn runs on real setImmediate.
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const newGate = (quietMs: number, maxWaitMs: number, backlog: Pick<QuietGateOptions, 'backlogQuietMs' | 'backlog'> = {}): QuietGate =>
    new QuietGate({ quietMs, maxWaitMs, ...backlog, now: () => Date.now() });

  it('holds a caller while arrivals keep coming and lets it through once they pause for quietMs', async () => {
    const gate = newGate(5, 1_000);
    const passedAt = new Map<number, number>();
    gate.arrived();
    void track(gate, passedAt, 1);
    for (let i = 0; i < 20; i += 1) {
      await step(2);
      gate.arrived();
    }
    // The last arrival was at 40 ms.
    await step(4);
    expect(passedAt.has(1)).toBe(false);
    await step(2);
    expect(passedAt.get(1)).toBe(45);
    expect(gate.holding).toBe(0);
  });

  it('lets a caller through after maxWaitMs even if arrivals never pause', async () => {
    const gate = newGate(5, 100);
    const passedAt = new Map<number, number>();
    gate.arrived();
    void track(gate, passedAt, 1);
    for (let t = 0; t < 98; t += 2) {
      await step(2);
      gate.arrived();
      expect(passedAt.has(1)).toBe(false);
    }
    await step(2);
    gate.arrived();
    expect(passedAt.get(1)).toBe(100);
  });

  it('lets a caller through at once (in the next turn) when nothing has arrived lately', async () => {
    const gate = newGate(5, 100);
    const passedAt = new Map<number, number>();
    void track(gate, passedAt, 1);
    expect(passedAt.has(1)).toBe(false);
    await turns();
    expect(passedAt.get(1)).toBe(0);
  });

  it('lets one caller through per turn, oldest first, and an arrival in between holds the rest again', async () => {
    const gate = newGate(10, 1_000);
    const passedAt = new Map<number, number>();
    gate.arrived();
    const first = trackThenArrive(gate, passedAt);
    void track(gate, passedAt, 2);
    void track(gate, passedAt, 3);
    await step(10);
    await first;
    expect(passedAt.get(1)).toBe(10);
    expect(passedAt.has(2)).toBe(false);
    await step(9);
    expect(passedAt.has(2)).toBe(false);
    await step(1);
    expect(passedAt.get(2)).toBe(20);
    expect(passedAt.get(3)).toBe(20);
    expect([...passedAt.keys()]).toEqual([1, 2, 3]);
  });

  it('lets 3,000 callers through once each, in order, including callers added while it drains', async () => {
    const gate = newGate(1, 50);
    const order: number[] = [];
    const all: Promise<void>[] = [];
    for (let i = 0; i < 2_000; i += 1) all.push(gate.pass().then(() => void order.push(i)));
    // Added while the first ones are going through.
    all.push(
      gate.pass().then(() => {
        order.push(2_000);
        for (let i = 2_001; i < 3_000; i += 1) all.push(gate.pass().then(() => void order.push(i)));
      }),
    );
    while (order.length < 3_000) await turns(1);
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 3_000 }, (_, i) => i));
    expect(gate.holding).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps no timer while it holds nobody', async () => {
    const gate = newGate(5, 100);
    gate.arrived();
    expect(vi.getTimerCount()).toBe(0);
    const passed = gate.pass();
    expect(vi.getTimerCount()).toBe(1);
    await step(5);
    await passed;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits for the longer pause while a backlog is held, and for the short one otherwise', async () => {
    const gate = newGate(5, 1_000, { backlogQuietMs: 20, backlog: 3 });
    const passedAt = new Map<number, number>();
    gate.arrived();
    for (let id = 1; id <= 3; id += 1) void track(gate, passedAt, id);
    // A lull of 6 ms, longer than quietMs, while three are held: nobody goes through.
    await step(6);
    gate.arrived();
    expect(passedAt.size).toBe(0);
    await step(19);
    expect(passedAt.size).toBe(0);
    await step(1);
    // 20 ms after the last arrival: all three, one per turn.
    expect([...passedAt]).toEqual([
      [1, 26],
      [2, 26],
      [3, 26],
    ]);
    // One held caller keeps the short pause.
    gate.arrived();
    void track(gate, passedAt, 4);
    await step(5);
    expect(passedAt.get(4)).toBe(31);
  });

  it('keeps a backlog held through arrivals that never pause for backlogQuietMs, until maxWaitMs', async () => {
    const gate = newGate(5, 100, { backlogQuietMs: 20, backlog: 2 });
    const passedAt = new Map<number, number>();
    gate.arrived();
    void track(gate, passedAt, 1);
    void track(gate, passedAt, 2);
    // One arrival every 10 ms: pauses twice the short one, half the long one.
    for (let t = 10; t < 100; t += 10) {
      await step(10);
      gate.arrived();
      expect(passedAt.size).toBe(0);
    }
    await step(10);
    expect([...passedAt]).toEqual([
      [1, 100],
      [2, 100],
    ]);
  });

  it('goes back to the short pause once the backlog is down to fewer than `backlog` held', async () => {
    const gate = newGate(5, 1_000, { backlogQuietMs: 20, backlog: 2 });
    const passedAt = new Map<number, number>();
    gate.arrived();
    // One is still held when something arrives.
    const first = trackThenArrive(gate, passedAt);
    void track(gate, passedAt, 2);
    await step(20);
    await first;
    expect(passedAt.get(1)).toBe(20);
    expect(passedAt.has(2)).toBe(false);
    await step(5);
    expect(passedAt.get(2)).toBe(25);
  });

  it('refuses a maximum wait shorter than the pause it waits for', () => {
    expect(() => new QuietGate({ quietMs: 10, maxWaitMs: 5 })).toThrow(RangeError);
    expect(() => new QuietGate({ quietMs: 5, backlogQuietMs: 20, maxWaitMs: 10 })).toThrow(RangeError);
    expect(() => new QuietGate({ quietMs: 5, backlog: 0, maxWaitMs: 10 })).toThrow(RangeError);
  });
});
