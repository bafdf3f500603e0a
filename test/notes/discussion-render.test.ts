import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDiscussion } from '../../src/notes/discussion/parse.ts';
import { renderDiscussion, renderDiscussionBlock, renderDiscussionChunks } from '../../src/notes/discussion/render.ts';
import { discussionTitle, titleParts } from '../../src/notes/discussion/title.ts';
import type { DiscussionBlock, DiscussionNotes } from '../../src/notes/discussion/types.ts';
import { discussionExample } from './fixtures.ts';

const LOCATION = 'Online, Discord (https://bit.ly/UnikraftDiscord), the `#monkey-business` voice channel';

/** A working-group meeting as the bot would hold it. */
const meeting: DiscussionNotes = {
  title: discussionTitle('VMM WG', '2023-06-14'),
  tags: ['unikraft', 'vmm'],
  datetime: '2023-06-14T10:00:00+02:00',
  location: LOCATION,
  teams: ['vmm'],
  participants: ['AndreiT', 'ȘtefanJ', 'RăzvanD'],
  agenda: [{ kind: 'list', items: [{ text: 'Status update' }, { text: 'Next steps' }] }],
  discussion: [
    { kind: 'heading', level: 3, text: 'vsock' },
    { kind: 'turn', speakers: ['AT'], lines: ['The `virtio-vsock` work is submitted.', 'It needs a review.'] },
    { kind: 'turn', speakers: ['SJ'], lines: ['Next steps:'] },
    {
      kind: 'list',
      items: [
        { text: 'PCI', items: [{ text: 'QEMU only', ordered: true }] },
        { text: 'MMIO', continuation: ['later'] },
      ],
    },
  ],
  todos: [
    { kind: 'turn', speakers: ['AT', 'SJ'], lines: ['Get past the current crash.'] },
    { kind: 'text', lines: ['We keep the PCI transport.'] },
  ],
};

const MEETING_FILE = `---
title: "VMM WG, June 14, 2023"
tags: unikraft, vmm
datetime: 2023-06-14T10:00:00+02:00
location: ${LOCATION}
teams:
- vmm
participants:
- AndreiT
- ȘtefanJ
- RăzvanD
---

## :dart: Agenda

- Status update
- Next steps

## :closed_book: Discussions

### vsock

AT: The \`virtio-vsock\` work is submitted.
It needs a review.

SJ: Next steps:

- PCI
  1. QEMU only
- MMIO
  later

## :wrench: TODOs and Decisions

AT/SJ: Get past the current crash.

We keep the PCI transport.
`;

describe('renderDiscussion', () => {
  it('writes a meeting in the canonical form, byte for byte, and reads it back as it was given', () => {
    expect(renderDiscussion(meeting)).toBe(MEETING_FILE);
    const parsed = parseDiscussion(MEETING_FILE);
    expect(parsed.warnings).toEqual([]);
    expect({ ...parsed, warnings: undefined, lines: undefined, extra: undefined }).toEqual({
      ...meeting,
      warnings: undefined,
      lines: undefined,
      extra: undefined,
    });
  });

  it('leaves out an empty section, and writes only the front matter when every section is empty', () => {
    const out = renderDiscussion({ ...meeting, agenda: [], todos: [] });
    expect(out).not.toContain('Agenda');
    expect(out).toContain('---\n\n## :closed_book: Discussions\n\n### vsock\n');
    expect(out.endsWith('- MMIO\n  later\n')).toBe(true);
    expect(renderDiscussion({ ...meeting, agenda: [], discussion: [], todos: [] })).toBe(MEETING_FILE.slice(0, MEETING_FILE.indexOf('---\n\n') + 4));
  });

  it('writes title and tags only when given (the older generation has neither); quotes what YAML would misread', () => {
    const { title: _title, tags: _tags, ...older } = meeting;
    expect(renderDiscussion(older).startsWith('---\ndatetime: 2023-06-14T10:00:00+02:00\n')).toBe(true);
    const odd = renderDiscussion({ ...meeting, title: 'Say "hi": yes', tags: ['@home', 'on'] });
    expect(odd).toContain('title: "Say \\"hi\\": yes"\ntags: "@home, on"\n');
    const back = parseDiscussion(odd);
    expect([back.title, back.tags, back.warnings]).toEqual(['Say "hi": yes', ['@home', 'on'], []]);
  });

  it('keeps a block one block: line breaks become spaces, blank lines and trailing spaces are dropped', () => {
    expect(renderDiscussionBlock({ kind: 'turn', speakers: ['AB'], lines: ['one\ntwo  ', '', '  ', 'three'] })).toBe('AB: one two\nthree\n');
    expect(renderDiscussionBlock({ kind: 'turn', speakers: ['AB'], lines: [''] })).toBe('AB:\n');
    expect(renderDiscussionBlock({ kind: 'code', lines: ['```', '', 'x  ', '```'] })).toBe('```\n\nx\n```\n');
    expect(renderDiscussionBlock({ kind: 'heading', level: 4, text: 'Sub' })).toBe('#### Sub\n');
  });

  it('writes two lists in a row as one (Markdown would read them as one)', () => {
    const out = renderDiscussion({
      ...meeting,
      agenda: [
        { kind: 'list', items: [{ text: 'a' }] },
        { kind: 'list', items: [{ text: 'b', ordered: true }] },
      ],
    });
    expect(out).toContain('## :dart: Agenda\n\n- a\n1. b\n\n## :closed_book:');
  });
});

describe('renderDiscussionChunks', () => {
  const text = renderDiscussion(meeting);

  it('gives back the file when concatenated, each message (trimmed) within the limit', () => {
    for (const limit of [300, 400, 2000]) {
      const chunks = renderDiscussionChunks(meeting, limit, Infinity) ?? [];
      expect(chunks.join('')).toBe(text);
      for (const chunk of chunks) expect(chunk.trim().length).toBeLessThanOrEqual(limit);
    }
    expect(renderDiscussionChunks(meeting, 2000, 1)).toEqual([text]);
    expect(renderDiscussionChunks(meeting, 100, Infinity)).toBeNull();
    expect(() => renderDiscussionChunks(meeting, 1, 5)).toThrow(RangeError);
  });

  it('ends chunks at block boundaries, never right after a heading', () => {
    const chunks = renderDiscussionChunks(parseDiscussion(discussionExample('vmm-2023-06-14')), 400, Infinity) ?? [];
    expect(chunks).toHaveLength(4);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.endsWith('\n\n')).toBe(true);
      expect(chunk.trimEnd().split('\n').pop()).not.toMatch(/^#/);
    }
  });

  it('splits a real example into at most 5 messages at block boundaries, or gives nothing when it needs more', () => {
    const notes = parseDiscussion(discussionExample('app-compat-app-compat-2023-03-08'));
    const chunks = renderDiscussionChunks(notes, 1000, 5) ?? [];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(renderDiscussion(notes));
    expect(chunks.every((chunk, i) => i === chunks.length - 1 || chunk.endsWith('\n\n'))).toBe(true);
    expect(renderDiscussionChunks(notes, 1000, chunks.length - 1)).toBeNull();
  });
});

describe('discussionTitle / titleParts', () => {
  it('writes and reads "<Topic>, <Month> <D>, <YYYY>"', () => {
    expect(discussionTitle('Kraft WG', '2023-09-06')).toBe('Kraft WG, September 6, 2023');
    expect(titleParts('Kraft WG, September 6, 2023')).toEqual({ topic: 'Kraft WG', date: '2023-09-06' });
    expect(titleParts('Procfs Support, November 29, 2022')).toEqual({ topic: 'Procfs Support', date: '2022-11-29' });
    expect(titleParts('Kraft WG, Sept 6, 2023')).toBeUndefined();
    expect(() => discussionTitle('x', '2023-13-01')).toThrow(RangeError);
  });
});

describe('render then parse (property)', () => {
  // Lines that start with a lowercase letter are never read as a marker, a heading, a fence or a turn.
  const word = fc.stringMatching(/^[a-zșă0-9`[\]():*#_.,!?/-]{1,8}$/);
  const safeLine = fc
    .tuple(fc.constantFrom('a', 'x', 'ș', 'z'), fc.array(word, { maxLength: 5 }))
    .map(([first, words]) => [first + (words[0] ?? ''), ...words.slice(1)].join(' '));
  const speakers = fc.array(fc.stringMatching(/^[A-Z]{1,3}$/), { minLength: 1, maxLength: 2 });
  const item = fc.record({ text: safeLine, ordered: fc.boolean() }).map(({ text, ordered }) => (ordered ? { text, ordered: true } : { text }));
  const block: fc.Arbitrary<DiscussionBlock> = fc.oneof(
    fc.record({ kind: fc.constant('turn' as const), speakers, lines: fc.array(safeLine, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('text' as const), lines: fc.array(safeLine, { minLength: 1, maxLength: 3 }) }),
    fc.record({
      kind: fc.constant('list' as const),
      items: fc.array(
        fc.tuple(item, fc.array(item, { maxLength: 2 }), fc.array(safeLine, { maxLength: 1 })).map(([parent, children, continuation]) => ({
          ...parent,
          ...(continuation.length > 0 ? { continuation } : {}),
          ...(children.length > 0 ? { items: children } : {}),
        })),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    fc.record({
      kind: fc.constant('code' as const),
      lines: fc.array(fc.oneof(safeLine, fc.constant('')), { maxLength: 3 }).map((inner) => ['```', ...inner, '```']),
    }),
    fc.record({ kind: fc.constant('heading' as const), level: fc.constantFrom(3, 4), text: safeLine }),
  );
  const text = fc.string({ unit: fc.constantFrom('a', 'B', ' ', ':', '"', "'", '#', ',', 'ș', '-', '[', '\u2028', '1'), maxLength: 12 });
  const notes: fc.Arbitrary<DiscussionNotes> = fc.record({
    title: text,
    tags: fc.array(
      text.map((t) => t.replace(/,/g, '').trim()).filter((t) => t !== ''),
      { maxLength: 3 },
    ),
    datetime: fc.constant('2023-06-14T10:00:00+02:00'),
    location: text,
    teams: fc.array(text.filter((t) => t.trim() === t && t !== '')),
    participants: fc.array(text.filter((t) => t.trim() === t && t !== '')),
    agenda: fc.array(block, { maxLength: 3 }),
    discussion: fc.array(block, { maxLength: 5 }),
    todos: fc.array(block, { maxLength: 3 }),
  });

  it('reads back every rendered file without a warning, with the same front matter, and renders it identically', () => {
    fc.assert(
      fc.property(notes, (n) => {
        const out = renderDiscussion(n);
        const back = parseDiscussion(out);
        expect(back.warnings).toEqual([]);
        expect(back.title).toBe(n.title);
        expect(back.tags ?? []).toEqual(n.tags);
        expect([back.location, back.teams, back.participants]).toEqual([n.location, n.teams, n.participants]);
        expect(renderDiscussion(back)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });
});
