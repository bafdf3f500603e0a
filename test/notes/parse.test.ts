import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../src/notes/parse.ts';
import { render } from '../../src/notes/render.ts';
import { EXAMPLE_DATES, example } from './fixtures.ts';

const FM = '---\ndatetime: 2022-03-19T09:00:00+01:00\nlocation: Here\nteams:\n  - community\nparticipants:\n  - A\n  - B\n---\n\n## Summary of Activities\n\n';
const codes = (text: string) => parseNotes(text).warnings.map((w) => [w.line, w.code]);

describe('parseNotes on the examples', () => {
  it("reads the seed: 12 blocks, 11 participants as written, ȘtefanJ's three references", () => {
    const notes = parseNotes(example('2022-03-19'));
    expect(notes.template).toBe('activities');
    expect(notes.datetime).toBe('2022-03-19T09:00:00+01:00');
    expect(notes.participants).toHaveLength(11);
    expect(notes.participants[0]).toBe('RazvanD');
    expect(notes.blocks.map((b) => b.names.join(' / '))).toEqual([
      'RaduN',
      'ȘtefanJ',
      'AlexA',
      'Teo',
      'AndreiT',
      'PaulV',
      'Sergiu',
      'RăzvanD',
      'Gabi',
      'AndreiM',
      'AlexP',
      'DanU',
    ]);
    expect(notes.blocks[1]?.references.map((r) => r.label)).toEqual(['1', '2', '3']);
    expect(notes.blocks[5]?.bullets[0]?.continuation).toHaveLength(2);
    expect(notes.lines.blocks[7]?.header).toBe(55);
  });

  it('reads a joint "A / B" header (-01-15)', () => {
    expect(parseNotes(example('2022-01-15')).blocks[0]?.names).toEqual(['RăzvanD', 'Teo']);
  });

  it('reads the 2021 "XY: text" paragraphs as blocks, one paragraph a bullet (-12-11)', () => {
    const notes = parseNotes(example('2021-12-11'));
    expect(notes.blocks.map((b) => [b.names[0], b.bullets.length])).toEqual([
      ['CC', 2],
      ['GM', 2],
      ['RD', 2],
      ['SM', 1],
    ]);
    expect(notes.blocks[0]?.bullets[1]?.continuation).toEqual([
      "I'll continue trying to find different versions to run fixdep.",
      'I think the running suggestions are wrong from the comments or Unikraft has a different format for `*.d` files.',
    ]);
  });

  it('keeps a name-less paragraph as a bullet of the block above (-12-18)', () => {
    const sm = parseNotes(example('2021-12-18')).blocks[1];
    expect(sm?.names).toEqual(['SM']);
    expect(sm?.bullets[2]).toEqual({
      text: '[1] https://github.com/unikraft/app-nginx/pull/3,',
      continuation: ['https://github.com/unikraft/app-sqlite/pull/3,', 'https://github.com/unikraft/app-redis/pull/3'],
    });
  });

  it('warns about nothing in a canonical file', () => {
    for (const date of ['2022-01-15', '2022-01-22', '2022-04-16']) expect(parseNotes(example(date)).warnings).toEqual([]);
    for (const date of EXAMPLE_DATES) {
      const canonical = render(parseNotes(example(date)));
      expect(parseNotes(canonical).warnings.filter((w) => w.code !== 'undefined-label')).toEqual([]);
    }
  });
});

describe('parseNotes tolerances, each with a warning and its line', () => {
  it('"Name:" headers', () => {
    const notes = parseNotes(`${FM}A:\n* x\n`);
    expect(notes.blocks[0]?.names).toEqual(['A']);
    expect(codes(`${FM}A:\n* x\n`)).toEqual([[13, 'header-colon']]);
  });

  it('"XY: text" paragraphs, merged per person, with continuation lines', () => {
    const text = `${FM}AB: one\nmore\n\nAB: two\n\nCD / EF: three\n`;
    const notes = parseNotes(text);
    expect(notes.blocks).toEqual([
      {
        names: ['AB'],
        bullets: [
          { text: 'one', continuation: ['more'] },
          { text: 'two', continuation: [] },
        ],
        references: [],
      },
      { names: ['CD', 'EF'], bullets: [{ text: 'three', continuation: [] }], references: [] },
    ]);
    expect(codes(text)).toEqual([
      [13, 'paragraph-block'],
      [14, 'continuation-indent'],
      [16, 'paragraph-block'],
      [18, 'paragraph-block'],
    ]);
  });

  it('unindented and oddly indented continuation lines', () => {
    const text = `${FM}A\n* x\nflat\n   three\n  two\n`;
    expect(parseNotes(text).blocks[0]?.bullets).toEqual([{ text: 'x', continuation: ['flat', 'three', 'two'] }]);
    expect(codes(text)).toEqual([
      [15, 'continuation-indent'],
      [16, 'continuation-indent'],
    ]);
  });

  it('`* [n]: url` definitions and blank lines between definitions', () => {
    const text = `${FM}A\n* x[1] y[2]\n\n* [1]: https://a\n\n[2]: https://b\n`;
    expect(parseNotes(text).blocks[0]?.references).toEqual([
      { label: '1', url: 'https://a' },
      { label: '2', url: 'https://b' },
    ]);
    expect(codes(text)).toEqual([
      [16, 'bulleted-definition'],
      [17, 'definition-spacing'],
    ]);
  });

  it('labels that restart per person, and undefined labels', () => {
    const text = `${FM}A\n* x[1]\n\n[1]: https://a\n\nB\n* y[1] z[7]\n\n[1]: https://b\n`;
    expect(codes(text)).toEqual([
      [19, 'undefined-label'],
      [21, 'label-restart'],
    ]);
  });

  it('other bullet markers', () => {
    const text = `${FM}A\n- x\n1. y\n• z\n`;
    expect(parseNotes(text).blocks[0]?.bullets.map((b) => b.text)).toEqual(['x', 'y', 'z']);
    expect(codes(text)).toEqual([
      [14, 'bullet-marker'],
      [15, 'bullet-marker'],
      [16, 'bullet-marker'],
    ]);
  });

  it('list indentation of 0 or 4 spaces, comma-joined items, a datetime without seconds, extra keys', () => {
    const text =
      '---\ndatetime: 2022-03-19T09:00+01:00\nlocation: Here\nteams:\n- community\nparticipants:\n    - A, B\n    - "C, D"\nrevision: 3\n---\n\n## Summary of Activities\n';
    const notes = parseNotes(text);
    expect(notes.datetime).toBe('2022-03-19T09:00:00+01:00');
    expect(notes.teams).toEqual(['community']);
    expect(notes.participants).toEqual(['A', 'B', 'C, D']);
    expect(notes.lines.participants).toEqual([7, 7, 8]);
    expect(notes.extra).toEqual({ revision: 3 });
    expect(codes(text)).toEqual([
      [2, 'datetime-seconds'],
      [5, 'list-indent'],
      [7, 'list-indent'],
      [7, 'comma-list'],
      [8, 'list-indent'],
      [9, 'extra-key'],
    ]);
    expect(render(notes)).toContain('participants:\n  - A\n  - B\n  - "C, D"\nrevision: 3\n---\n');
  });

  it('CRLF line ends, trailing whitespace, a missing final newline', () => {
    const text = `${FM}A\n* x  \n* y`.replace(/\n/g, '\r\n');
    const notes = parseNotes(text);
    expect(notes.blocks[0]?.bullets.map((b) => b.text)).toEqual(['x', 'y']);
    expect(codes(text)).toEqual([
      [1, 'line-ending'],
      [14, 'trailing-whitespace'],
      [15, 'final-newline'],
    ]);
  });

  it('recognises the Agenda / Discussions layout as template "discussion", front matter still read', () => {
    const text =
      '---\ndatetime: 2021-01-01T14:00:00+01:00\nlocation: My Location\nteams:\n  - sig-my-group\nparticipants:\n  - Participant1\n---\n\n## Agenda\nTO FILL\n## Discussions\nTO FILL\n';
    const notes = parseNotes(text);
    expect(notes.template).toBe('discussion');
    expect(parseNotes(text.replace('## Agenda', '## :dart: Agenda')).template).toBe('discussion');
    expect(notes.participants).toEqual(['Participant1']);
    expect(notes.blocks).toEqual([]);
    expect(codes(text)).toEqual([[10, 'template']]);
  });

  it('reports invalid YAML front matter instead of throwing', () => {
    const text = '---\ndatetime: [\nlocation: x\n---\n\n## Summary of Activities\n';
    expect(parseNotes(text).warnings.some((w) => w.code === 'front-matter')).toBe(true);
  });
});
