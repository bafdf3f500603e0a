import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileDateOf } from '../../src/notes/check-common.ts';
import { checkNotes } from '../../src/notes/check.ts';
import { checkDiscussion } from '../../src/notes/discussion/check.ts';
import { parseDiscussion } from '../../src/notes/discussion/parse.ts';
import { renderDiscussion } from '../../src/notes/discussion/render.ts';
import { notesLayout } from '../../src/notes/layout.ts';
import { CANONICAL_DISCUSSIONS, EXAMPLE_DATES, OTHER_DISCUSSIONS, discussionExample, discussionPath, example } from './fixtures.ts';

const FM = (datetime = '2023-06-14T10:00:00+02:00', participants = '- Ann') =>
  `---\ntitle: "VMM WG, June 14, 2023"\ntags: unikraft, vmm\ndatetime: ${datetime}\nlocation: Online\nteams:\n- vmm\nparticipants:\n${participants}\n---\n\n`;
const BODY = '## :dart: Agenda\n\n- Status update\n\n## :closed_book: Discussions\n\nAB: One.\n\n## :wrench: TODOs and Decisions\n\nAB: A task.\n';
const clean = FM() + BODY;
const lineCodes = (text: string, options = {}) => checkDiscussion(text, options).map((f) => [f.line, f.code]);

describe('check on the examples', () => {
  it.each(CANONICAL_DISCUSSIONS)('%s: nothing without a zone, so it must (and does) round-trip', (name) => {
    expect(checkNotes(discussionExample(name), { fileDate: fileDateOf(discussionPath(name)) })).toEqual([]);
  });

  it('the other five: what parse tolerated, and the missing title and tags of the older generation', () => {
    const found = (name: string) => checkNotes(discussionExample(name), { fileDate: fileDateOf(discussionPath(name)) }).map((f) => [f.line, f.code]);
    expect(found('app-compat-2022-03-16').slice(0, 3)).toEqual([
      [1, 'missing-key'],
      [1, 'missing-key'],
      [5, 'list-indent'],
    ]);
    expect(found('app-compat-2022-03-16')).toHaveLength(15);
    expect(found('app-compat-2022-07-20')).toEqual([]);
    expect(found('app-compat-2022-10-04')).toEqual([
      [37, 'trailing-whitespace'],
      [49, 'trailing-whitespace'],
    ]);
    expect(found('app-compat-app-compat-2023-03-08')).toEqual([
      [47, 'list-glued'],
      [93, 'list-glued'],
    ]);
    expect(found('community-2023-2023-02-10')).toEqual([
      [25, 'heading-emoji'],
      [88, 'heading-emoji'],
    ]);
  });

  it('with the series zone, the offsets that do not follow daylight saving time', () => {
    // The files write +02:00 all year; in Europe/Bucharest that is right in winter only (until the last Sunday of March).
    const offsets = [...CANONICAL_DISCUSSIONS, ...OTHER_DISCUSSIONS].map((name) => [
      name,
      checkNotes(discussionExample(name), { timeZone: 'Europe/Bucharest' })
        .filter((f) => f.code === 'utc-offset')
        .map((f) => f.line),
    ]);
    expect(offsets).toEqual([
      ['security-2024-03-25', []],
      ['vmm-2023-06-14', [4]],
      ['kraft-2023-09-06', [4]],
      ['app-compat-procfs-2022-11-29', []],
      ['smp-2024-01-10', []],
      ['app-compat-2022-03-16', []],
      ['app-compat-2022-07-20', [4]],
      ['app-compat-2022-10-04', [4]],
      ['app-compat-app-compat-2023-03-08', []],
      ['community-2023-2023-02-10', []],
    ]);
    expect(checkNotes(discussionExample('vmm-2023-06-14'), { timeZone: 'Europe/Bucharest' })[0]?.message).toBe(
      'UTC offset +02:00 is wrong for Europe/Bucharest on 2023-06-14 (it is +03:00): write 2023-06-14T08:30:00+03:00',
    );
  });
});

describe('what people get wrong, one by one', () => {
  it('a clean file has no finding', () => {
    expect(checkDiscussion(clean, { timeZone: 'Europe/Bucharest', fileDate: '2023-06-14' }).filter((f) => f.code !== 'utc-offset')).toEqual([]);
    expect(checkDiscussion(clean, { timeZone: 'Europe/Berlin', fileDate: '2023-06-14' })).toEqual([]);
  });

  it('a wrong UTC offset for the date (with --tz)', () => {
    const text = FM('2023-06-14T10:00:00+01:00') + BODY;
    expect(lineCodes(text)).toEqual([]);
    expect(lineCodes(text, { timeZone: 'Europe/Berlin' })).toEqual([[4, 'utc-offset']]);
  });

  it('a datetime without seconds, or malformed', () => {
    expect(lineCodes(FM('2023-06-14T10:00+02:00') + BODY)).toEqual([[4, 'datetime-seconds']]);
    expect(lineCodes(FM('2023-05-010T10:00:00+02:00') + BODY)).toEqual([[4, 'invalid-datetime']]);
    // (The title names June 14, and says so.)
    expect(lineCodes(FM('2023-02-30T10:00:00+02:00') + BODY)).toEqual([
      [2, 'title-date'],
      [4, 'invalid-date'],
    ]);
    expect(checkDiscussion(FM('2023-05-010') + BODY)[0]?.message).toBe(
      'datetime "2023-05-010" is not in the form YYYY-MM-DDTHH:MM:SS±HH:MM (local time with its UTC offset, never Z)',
    );
  });

  it("a datetime whose date is not the file's (front matter copied from the previous meeting), and a title of another day", () => {
    const copied = FM('2023-06-07T10:00:00+02:00') + BODY;
    expect(lineCodes(copied, { fileDate: '2023-06-14' })).toEqual([
      [2, 'title-date'],
      [4, 'datetime-date'],
    ]);
    expect(checkDiscussion(copied, { fileDate: '2023-06-14' })[1]?.message).toBe(
      'datetime is on 2023-06-07 but the file is named for 2023-06-14 (front matter copied from another meeting?)',
    );
    expect(lineCodes(clean.replace('June 14, 2023', 'June 14th'))).toEqual([[2, 'title-form']]);
  });

  it('placeholders in participants (TODO, TO FILL), and where the template left TO FILL', () => {
    const text = FM(undefined, '- Ann\n- TODO\n- TO FILL') + BODY.replace('- Status update', '- TO FILL');
    expect(lineCodes(text)).toEqual([
      [10, 'placeholder'],
      [11, 'placeholder'],
      [16, 'placeholder'],
    ]);
    expect(checkDiscussion(text)[0]?.message).toBe('participant "TODO" is a placeholder');
  });

  it('headings with a wrong or missing emoji', () => {
    const text = FM() + BODY.replace(':dart: ', '').replace(':wrench:', ':hammer:');
    expect(lineCodes(text)).toEqual([
      [12, 'heading-emoji'],
      [20, 'heading-emoji'],
    ]);
  });

  it('trailing spaces and doubled blank lines', () => {
    const text = FM() + BODY.replace('AB: One.', 'AB: One. ').replace('\n\n## :wrench:', '\n\n\n## :wrench:');
    expect(lineCodes(text)).toEqual([
      [18, 'trailing-whitespace'],
      [20, 'blank-lines'],
    ]);
  });

  it('* bullets in the current layout', () => {
    expect(lineCodes(FM() + BODY.replace('- Status', '* Status'))).toEqual([[14, 'bullet-marker']]);
  });

  it('the older generation: no title, no tags', () => {
    const text = clean.replace('title: "VMM WG, June 14, 2023"\ntags: unikraft, vmm\n', '');
    expect(lineCodes(text)).toEqual([
      [1, 'missing-key'],
      [1, 'missing-key'],
    ]);
  });

  it('references used with no definition in the file (numbers, full and collapsed references; not code, not [WIP])', () => {
    const text = FM() + BODY.replace('AB: One.', 'AB: See [1], [2], [PR][pr], [x][] and `a[3]`, [WIP].\n\n[1]: https://example.org');
    expect(checkDiscussion(text).map((f) => f.message)).toEqual([
      '[2] is used but defined nowhere in the file',
      '[pr] is used but defined nowhere in the file',
      '[x] is used but defined nowhere in the file',
    ]);
  });

  it("a speaker's turn glued to another's (a turn starts a paragraph), a sub-heading in the agenda, an unknown section, a preamble", () => {
    const text = `${FM()}Intro.\n\n${BODY.replace('- Status update', '### Topic\n\n- Status update').replace('AB: One.', 'AB: One.\nCD: Two.\nNote: not a speaker here.\n\n## Other\n\nCD: Three.')}`;
    expect(lineCodes(text)).toEqual([
      [12, 'preamble'],
      [16, 'agenda-heading'],
      [23, 'turn-glued'],
      [26, 'unknown-section'],
    ]);
  });

  it('a code fence never closed', () => {
    expect(lineCodes(FM() + BODY.replace('AB: One.', '```sh\nmake\n````\n\n~~~\nx\n~~~'))).toEqual([]);
    expect(lineCodes(FM() + BODY.replace('AB: One.', '````\nmake\n```'))).toEqual([[18, 'unclosed-fence']]);
  });

  it('refuses an unknown zone', () => {
    expect(() => checkDiscussion(clean, { timeZone: 'Mars/Base' })).toThrow('is not a time zone');
  });
});

describe('the layout is recognised from the content', () => {
  it('tells the ten discussion examples from the ten hackathon files', () => {
    for (const name of [...CANONICAL_DISCUSSIONS, ...OTHER_DISCUSSIONS]) expect(notesLayout(discussionExample(name))).toBe('discussion');
    for (const date of EXAMPLE_DATES) expect(notesLayout(example(date))).toBe('activities');
  });

  it('by the first heading of either layout, else by a title or tags key', () => {
    expect(notesLayout('---\ndatetime: x\n---\n\n# Hackathon\n\n## Summary of Activities\n\n## Agenda\n')).toBe('activities');
    expect(notesLayout('---\ndatetime: x\n---\n\n### TODOs and Decisions\n')).toBe('discussion');
    expect(notesLayout('---\ntitle: "x"\n---\n\nfree text\n')).toBe('discussion');
    expect(notesLayout('---\ndatetime: x\n---\n\nfree text\n')).toBe('activities');
    expect(notesLayout('')).toBe('activities');
  });

  it('checkNotes checks a discussion file as one (no Summary of Activities findings)', () => {
    expect(checkNotes(clean)).toEqual([]);
    expect(checkNotes(clean.replace('- Ann', '- TODO')).map((f) => f.code)).toEqual(['placeholder']);
  });

  it('the activities check also compares the datetime with the file date', () => {
    expect(checkNotes(example('2022-01-22'), { fileDate: '2022-01-22' })).toEqual(checkNotes(example('2022-01-22')));
    expect(checkNotes(example('2022-01-22'), { fileDate: '2022-01-29' }).map((f) => f.code)).toContain('datetime-date');
  });
});

describe('a file that check finds nothing in round-trips exactly (property)', () => {
  // Canonical files edited a line at a time: most edits are findings; those that are not must change nothing.
  const pieces = [
    '',
    ' ',
    '  ',
    '    ',
    '- ',
    '* ',
    '1. ',
    '2) ',
    '#',
    '## ',
    '### ',
    '## :dart: Agenda',
    '## :wrench: TODOs and Decisions',
    '### Topic',
    '```',
    'AB: ',
    'CD/EF:',
    'text',
    'x y',
    '---',
    '\t',
    '> q',
    'é',
  ];
  const line = fc.array(fc.constantFrom(...pieces), { maxLength: 3 }).map((parts) => parts.join(''));
  const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('delete', 'duplicate', 'insert', 'prefix', 'suffix'), piece: fc.constantFrom(...pieces) });

  it('over random edits of canonical files', () => {
    let clean = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(edit, { minLength: 1, maxLength: 2 }), (lines, edits) => {
        const canonical = renderDiscussion(parseDiscussion(`${FM()}## :closed_book: Discussions\n\n${lines.join('\n')}\n`));
        const out = canonical.split('\n');
        for (const { at, kind, piece } of edits) {
          const i = at % Math.max(1, out.length - 1);
          if (kind === 'delete') out.splice(i, 1);
          else if (kind === 'duplicate') out.splice(i, 0, out[i] ?? '');
          else if (kind === 'insert') out.splice(i, 0, piece);
          else out[i] = kind === 'prefix' ? piece + (out[i] ?? '') : (out[i] ?? '') + piece;
        }
        const text = out.join('\n');
        if (text === canonical || checkDiscussion(text).length > 0) return;
        clean += 1;
        expect(renderDiscussion(parseDiscussion(text))).toBe(text);
      }),
      { numRuns: 3000 },
    );
    // Enough edited files came out clean for the property to say something.
    expect(clean).toBeGreaterThan(20);
  });
});
