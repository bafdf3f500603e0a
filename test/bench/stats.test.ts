import { describe, expect, it } from 'vitest';
import { isReadyLine } from '../../bench/bot-process.ts';
import { firstTextInputId, type Outcome } from '../../bench/drive.ts';
import { largeMeeting, updateTextOf } from '../../bench/notes-cost.ts';
import { judgeTargets, summarise, type BotRun, type PhaseStats } from '../../bench/report.ts';
import { distribution, median, medianRun, percentile, ratio } from '../../bench/stats.ts';
import { parseUpdate } from '../../src/notes/bullets.ts';

describe('statistics', () => {
  it('median: the middle value, or the mean of the two middle ones; NaN without samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('percentile by nearest rank is an observed value', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(
      percentile(
        Array.from({ length: 1000 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(990);
    expect(percentile([3, 7, 5], 99)).toBe(7);
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });

  it('distribution of more samples than a spread call can pass', () => {
    expect(distribution([2, 4, 6, 8])).toEqual({ count: 4, medianMs: 5, p99Ms: 8, maxMs: 8 });
    const many = Array.from({ length: 300_000 }, (_, i) => i);
    expect(distribution(many).maxMs).toBe(299_999);
  });

  it('ratio is null when a side is missing, zero or not finite', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(undefined, 2)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(Number.NaN, 2)).toBeNull();
  });

  it('medianRun picks the run with the median figure, the lower middle one for an even count', () => {
    const runs = [
      { id: 'a', p99: 9 },
      { id: 'b', p99: 3 },
      { id: 'c', p99: 5 },
    ];
    expect(medianRun(runs, (r) => r.p99)?.id).toBe('c');
    expect(medianRun([...runs, { id: 'd', p99: 7 }], (r) => r.p99)?.id).toBe('c');
    expect(medianRun([], (r: { p99: number }) => r.p99)).toBeUndefined();
  });
});

describe('reading what the bots do', () => {
  it('isReadyLine: a bare "ready" line or a pino line whose msg is "ready"', () => {
    expect(isReadyLine('ready')).toBe(true);
    expect(isReadyLine('{"level":30,"time":1,"msg":"ready","guilds":1}')).toBe(true);
    expect(isReadyLine('{"level":30,"msg":"ready soon"}')).toBe(false);
    expect(isReadyLine('{broken')).toBe(false);
  });

  it('firstTextInputId finds the input in an action row or in a label component', () => {
    expect(firstTextInputId({ components: [{ type: 10 }, { type: 1, components: [{ type: 4, custom_id: 'a' }] }] })).toBe('a');
    expect(firstTextInputId({ components: [{ type: 18, label: 'B', component: { type: 4, custom_id: 'b' } }] })).toBe('b');
    expect(firstTextInputId({ components: [] })).toBeUndefined();
  });

  it('updateTextOf is what person p types to get block p of the large meeting, the tag ending the last bullet', () => {
    const meeting = largeMeeting(12);
    for (const p of [3, 10]) {
      const update = parseUpdate(updateTextOf(p, 'run-1'));
      const block = meeting.blocks[p];
      expect(update.references).toEqual(block?.references);
      expect(update.bullets.slice(0, -1)).toEqual(block?.bullets.slice(0, -1));
      expect(update.bullets.at(-1)?.text).toBe(`${block?.bullets.at(-1)?.text ?? ''} (run-1)`);
    }
  });

  it('summarise counts acknowledgements and success answers; an error answer or a refused ack is not Saved', () => {
    const outcomes: Outcome[] = [
      { ackMs: 10, accepted: true, savedMs: 50, text: 'Saved. Your update…' },
      { ackMs: 20, accepted: true, savedMs: 60, text: 'Something went wrong; not saved.' },
      { ackMs: 3500, accepted: false, savedMs: null, text: null },
      { ackMs: null, accepted: false, savedMs: null, text: null },
    ];
    const stats = summarise(outcomes, /^Saved\b/);
    expect(stats).toMatchObject({ submissions: 4, acked: 2, saved: 1 });
    expect(stats.ack).toMatchObject({ count: 3, maxMs: 3500 });
    expect(stats.save).toMatchObject({ count: 2, maxMs: 60 });
  });
});

describe('judgeTargets', () => {
  const phase = (p99: number, maxMs = p99 + 1, stored?: number): PhaseStats => ({
    submissions: 1000,
    acked: 1000,
    saved: 1000,
    ack: { count: 1000, medianMs: p99 / 2, p99Ms: p99, maxMs },
    save: { count: 1000, medianMs: p99, p99Ms: p99 * 2, maxMs },
    ...(stored === undefined ? {} : { stored }),
  });
  const bare: BotRun = { name: 'bare', idleKiB: 100_000, sequential: [phase(10)], burst: [phase(100)] };
  const verdicts = (scribe: BotRun): (boolean | null)[] => judgeTargets({ bare, scribe, members: 1000 }).map((t) => t.pass);

  it('passes within the ratios (sequential ≤ 1.15×, burst ≤ 2×, memory ≤ 1.3×) and misses beyond them', () => {
    const within: BotRun = { name: 'scribe', idleKiB: 130_000, sequential: [phase(11.5)], burst: [phase(200, 900, 1000)] };
    expect(verdicts(within)).toEqual([true, true, true, true]);
    const beyond: BotRun = { name: 'scribe', idleKiB: 131_000, sequential: [phase(11.6)], burst: [phase(201, 900, 1000)] };
    expect(verdicts(beyond)).toEqual([false, true, false, false]);
  });

  it('misses the burst target for one lost update or one answer after 3 s in any round', () => {
    const lost: BotRun = { name: 'scribe', idleKiB: 1, sequential: [phase(10)], burst: [phase(100, 900, 1000), phase(100, 900, 999)] };
    expect(verdicts(lost)[1]).toBe(false);
    const late: BotRun = { name: 'scribe', idleKiB: 1, sequential: [phase(10)], burst: [phase(100, 3001, 1000)] };
    expect(verdicts(late)[1]).toBe(false);
  });

  it('judges the round with the median p99, and says n/a (null) for what was not measured', () => {
    const rounds: BotRun = { name: 'scribe', idleKiB: 1, sequential: [phase(30), phase(11), phase(5)], burst: [] };
    expect(verdicts(rounds)).toEqual([true, null, null, true]);
  });
});
