import { describe, expect, it } from 'vitest';
import { join, leave } from '../../src/meetings/attendance.ts';
import type { VoiceMember } from '../../src/meetings/ports.ts';
import type { AttendeeRecord } from '../../src/meetings/records.ts';

const T1 = '2026-11-28T09:00:00.000Z';
const T2 = '2026-11-28T09:30:00.000Z';
const T3 = '2026-11-28T10:00:00.000Z';
const member = (userId: string, displayName: string, nick?: string): VoiceMember => ({
  userId,
  displayName,
  bot: false,
  ...(nick === undefined ? {} : { nick }),
});

describe('join', () => {
  it('adds newcomers at the end, reopens who had left, takes a new name, and leaves the present alone', () => {
    const start = join([], [member('1', 'Ana'), member('2', 'Bo')], T1);
    expect(start).toEqual([
      { userId: '1', identity: { displayName: 'Ana' }, firstJoinedAt: T1, intervals: [{ from: T1 }] },
      { userId: '2', identity: { displayName: 'Bo' }, firstJoinedAt: T1, intervals: [{ from: T1 }] },
    ]);
    const afterLeave = leave(start, (id) => id === '2', T2);
    const next = join(afterLeave, [member('3', 'Cy'), member('2', 'Bo'), member('1', 'Ana', 'ana')], T3);
    expect(next).toEqual([
      { userId: '1', identity: { nick: 'ana', displayName: 'Ana' }, firstJoinedAt: T1, intervals: [{ from: T1 }] },
      { userId: '2', identity: { displayName: 'Bo' }, firstJoinedAt: T1, intervals: [{ from: T1, to: T2 }, { from: T3 }] },
      { userId: '3', identity: { displayName: 'Cy' }, firstJoinedAt: T3, intervals: [{ from: T3 }] },
    ]);
    expect(join(next, [member('3', 'Cy'), member('2', 'Bo')], T3)).toBe(next);
  });

  it('many at once is the same as one by one, duplicates included', () => {
    let before: readonly AttendeeRecord[] = join(
      [],
      Array.from({ length: 300 }, (_, i) => member(String(i), `P${i}`)),
      T1,
    );
    before = leave(before, (id) => Number(id) % 3 === 0, T2);
    const joining = Array.from({ length: 600 }, (_, i) => member(String((i * 7) % 450), `P${(i * 7) % 450}`, i % 5 === 0 ? `n${i}` : undefined));
    const oneByOne = joining.reduce((acc, m) => join(acc, [m], T3), before);
    expect(join(before, joining, T3)).toEqual(oneByOne);
    expect(oneByOne).toHaveLength(450);
  });

  it('does not change the list it was given', () => {
    const start = join([], [member('1', 'Ana')], T1);
    const copy = structuredClone(start);
    join(start, [member('1', 'Ana', 'ana'), member('2', 'Bo')], T2);
    expect(start).toEqual(copy);
  });
});
