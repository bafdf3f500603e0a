import { describe, expect, it } from 'vitest';
import { appendUpdate } from '../../src/meetings/merge.ts';
import { cleanName, resolveName } from '../../src/meetings/names.ts';
import { presenceMs, roster } from '../../src/meetings/roster.ts';
import { fillTemplate, locationFor, meetingKey, notesFileNameFor, notesPathFor, parseMeetingKey, threadNameFor } from '../../src/meetings/templates.ts';
import { hackathon } from './helpers.ts';

describe('templates and keys', () => {
  const series = hackathon();
  it('fills the series templates from the local date and the voice channel name', () => {
    expect(meetingKey('hackathon', '2022-03-19')).toBe('hackathon/2022-03-19');
    expect(parseMeetingKey('hack-a-thon/2022-03-19')).toEqual({ seriesId: 'hack-a-thon', localDate: '2022-03-19' });
    expect(() => meetingKey('hackathon', '2022-3-19')).toThrow(RangeError);
    expect(threadNameFor(series, '2022-03-19')).toBe('Hackathon 2022-03-19');
    expect(notesPathFor(series, '2022-03-19')).toBe('hackathons/2022/2022-03-19.md');
    expect(notesFileNameFor(series, '2022-03-19')).toBe('2022-03-19.md');
    expect(locationFor(series, 'monkey-business')).toBe('Online, Discord (https://bit.ly/UnikraftDiscord), the `#monkey-business` voice channel');
    expect(fillTemplate('{a}{b}{}', { a: '{b}' })).toBe('{b}{b}{}');
  });
});

describe('appendUpdate', () => {
  it('keeps labels that do not collide and rewrites only the added part', () => {
    const merged = appendUpdate(
      { bullets: [{ text: 'see [a] and [2]', continuation: [] }], references: [{ label: 'a', url: 'u1' }] },
      {
        bullets: [{ text: 'new [A] and [b]', continuation: ['more [a]'] }],
        references: [
          { label: 'A', url: 'u2' },
          { label: 'b', url: 'u3' },
        ],
      },
    );
    // "2" is used (undefined) in the earlier bullet, so the renamed label skips it.
    expect(merged).toEqual({
      bullets: [
        { text: 'see [a] and [2]', continuation: [] },
        { text: 'new [1] and [b]', continuation: ['more [1]'] },
      ],
      references: [
        { label: 'a', url: 'u1' },
        { label: '1', url: 'u2' },
        { label: 'b', url: 'u3' },
      ],
    });
    expect(appendUpdate(undefined, { bullets: [{ text: 'x', continuation: [] }], references: [] }).bullets).toHaveLength(1);
  });
});

describe('names', () => {
  it('cleans to one visible line and falls back in order', () => {
    expect(cleanName('  A\u202E\u200Bb\r\nc\t ')).toBe('Ab c');
    expect(cleanName('S\u0326tefan')).toBe('Ștefan');
    expect(resolveName(undefined, { nick: ' ', displayName: 'Disp' }, '1')).toEqual({ name: 'Disp', source: 'display' });
    expect(resolveName('  ', { nick: 'Nick', displayName: 'Disp' }, '1')).toEqual({ name: 'Nick', source: 'nick' });
    expect(resolveName(undefined, { displayName: '\u200B' }, '42')).toEqual({ name: 'user-42', source: 'display' });
  });
});

describe('roster', () => {
  const attendee = (userId: string, intervals: { from: string; to?: string }[]) => ({
    userId,
    identity: { displayName: `n${userId}` },
    firstJoinedAt: intervals[0]?.from ?? '',
    intervals,
  });

  it('counts open presence up to `until` and lists a name once', () => {
    const a = attendee('1', [{ from: '2022-03-19T08:00:00Z', to: '2022-03-19T08:03:00Z' }, { from: '2022-03-19T08:10:00Z' }]);
    expect(presenceMs(a, new Date('2022-03-19T08:12:00Z'))).toBe(5 * 60_000);
    const result = roster({
      updates: [],
      attendance: { meetingKey: 'm', attendees: [a, { ...attendee('2', [{ from: '2022-03-19T08:00:00Z' }]), identity: { displayName: 'n1' } }], updatedAt: '' },
      names: new Map(),
      minPresenceMinutes: 5,
      until: new Date('2022-03-19T08:12:00Z'),
    });
    expect(result.participants).toEqual(['n1']);
  });
});
