import { describe, expect, it } from 'vitest';
import { checkNotes } from '../../src/notes/check.ts';
import { zonedDatetime } from '../../src/notes/datetime.ts';
import { NotesInputError } from '../../src/notes/errors.ts';
import { parseNotes } from '../../src/notes/parse.ts';
import { render } from '../../src/notes/render.ts';
import type { Notes } from '../../src/notes/types.ts';
import { EXAMPLE_DATES, example } from './fixtures.ts';

const TZ = { timeZone: 'Europe/Berlin' };
const lineCodes = (date: string) => checkNotes(example(date), TZ).map((f) => [f.line, f.code]);
const messageAt = (date: string, line: number, code: string) =>
  checkNotes(example(date), TZ)
    .filter((f) => f.line === line && f.code === code)
    .map((f) => f.message);
const ALL = (line: number, code: string): [number, string] => [line, code];

describe('check on the ten examples (Europe/Berlin), finding by finding', () => {
  it('2021-12-11: initials for four names, two participants without a block, "XY:" paragraphs and their continuations', () => {
    expect(lineCodes('2021-12-11')).toEqual([
      [7, 'name-mismatch'],
      [8, 'name-mismatch'],
      [9, 'participant-without-block'],
      [10, 'name-mismatch'],
      [11, 'name-mismatch'],
      [12, 'participant-without-block'],
      [17, 'paragraph-block'],
      [19, 'paragraph-block'],
      [20, 'continuation-indent'],
      [21, 'continuation-indent'],
      [23, 'paragraph-block'],
      [25, 'paragraph-block'],
      [26, 'continuation-indent'],
      [28, 'paragraph-block'],
      [30, 'paragraph-block'],
      [31, 'continuation-indent'],
      [33, 'paragraph-block'],
      [34, 'continuation-indent'],
    ]);
    expect(messageAt('2021-12-11', 7, 'name-mismatch')).toEqual([
      'participant "RazvanD" has no block of that name; the block "RD" (line 28) looks like its initials: use one spelling',
    ]);
    expect(messageAt('2021-12-11', 10, 'name-mismatch')[0]).toContain('"CC" (line 17)');
    expect(messageAt('2021-12-11', 9, 'participant-without-block')).toEqual(['participant "PaulV" has no block']);
    expect(messageAt('2021-12-11', 20, 'continuation-indent')).toEqual(['continuation line indented by 1 space; the format uses 2']);
  });

  it('2021-12-18: as above, plus the undefined [1] and the colon-less definition paragraph', () => {
    expect(lineCodes('2021-12-18')).toEqual([
      [7, 'name-mismatch'],
      [8, 'name-mismatch'],
      [9, 'name-mismatch'],
      [10, 'name-mismatch'],
      [11, 'participant-without-block'],
      [16, 'paragraph-block'],
      [18, 'paragraph-block'],
      [20, 'paragraph-block'],
      [22, 'paragraph-block'],
      [22, 'undefined-label'],
      [24, 'definition-colon'],
      [24, 'loose-paragraph'],
      [25, 'continuation-indent'],
      [26, 'continuation-indent'],
      [28, 'paragraph-block'],
      [29, 'continuation-indent'],
      [30, 'continuation-indent'],
      [32, 'paragraph-block'],
      [34, 'paragraph-block'],
      [35, 'continuation-indent'],
    ]);
    expect(messageAt('2021-12-18', 22, 'undefined-label')).toEqual(['[1] is used but defined nowhere in the file']);
  });

  it('2022-01-08: RazvanD/RăzvanD, Sebastian/Sebastia, PaulV without a block, an undefined [1]', () => {
    expect(lineCodes('2022-01-08')).toEqual([
      [7, 'name-mismatch'],
      [9, 'name-mismatch'],
      [13, 'participant-without-block'],
      [19, 'undefined-label'],
    ]);
    expect(messageAt('2022-01-08', 7, 'name-mismatch')).toEqual([
      'participant "RazvanD" has no block of that name; the block "RăzvanD" (line 18) differs only in diacritics: use one spelling',
    ]);
    expect(messageAt('2022-01-08', 9, 'name-mismatch')).toEqual([
      'participant "Sebastian" has no block of that name; the block "Sebastia" (line 35) differs only by a suffix: use one spelling',
    ]);
  });

  it('2022-01-15: two diacritics mismatches, the joint block matched', () => {
    expect(lineCodes('2022-01-15')).toEqual([
      [7, 'name-mismatch'],
      [9, 'name-mismatch'],
    ]);
    expect(messageAt('2022-01-15', 9, 'name-mismatch')[0]).toContain('"RăzvanV" (line 33) differs only in diacritics');
  });

  it('2022-01-22: two diacritics mismatches, Florin/FlorinP, PaulV and Sebastian without a block', () => {
    expect(lineCodes('2022-01-22')).toEqual([
      [7, 'name-mismatch'],
      [9, 'name-mismatch'],
      [10, 'participant-without-block'],
      [11, 'participant-without-block'],
      [14, 'name-mismatch'],
    ]);
    expect(messageAt('2022-01-22', 14, 'name-mismatch')[0]).toContain('"FlorinP" (line 43) differs only by a suffix');
  });

  it("2022-03-12: colliding labels (ȘtefanJ's [1]-[3] link to RăzvanV's URLs), blank lines between definitions", () => {
    expect(lineCodes('2022-03-12')).toEqual([
      [7, 'name-mismatch'],
      [9, 'name-mismatch'],
      [13, 'name-mismatch'],
      [16, 'participant-without-block'],
      [47, 'definition-spacing'],
      [49, 'definition-spacing'],
      [59, 'foreign-link'],
      [59, 'foreign-link'],
      [60, 'trailing-whitespace'],
      [60, 'foreign-link'],
      [62, 'label-restart'],
      [63, 'definition-spacing'],
      [64, 'label-restart'],
      [65, 'definition-spacing'],
      [66, 'label-restart'],
    ]);
    expect(messageAt('2022-03-12', 59, 'foreign-link')).toEqual([
      '[1] links to https://github.com/unikraft/unikraft/pull/336, defined at line 46 for "RăzvanV", not to this block\'s https://github.com/unikraft/unikraft/pull/418 (line 62)',
      '[2] links to https://github.com/unikraft/unikraft/pull/422, defined at line 48 for "RăzvanV", not to this block\'s https://github.com/unikraft/unikraft/pull/407 (line 64)',
    ]);
    expect(messageAt('2022-03-12', 62, 'label-restart')[0]).toContain('label [1] was already defined at line 46 (block "RăzvanV")');
    expect(messageAt('2022-03-12', 16, 'participant-without-block')).toEqual(['participant "Costi" has no block']);
  });

  it('2022-03-19 (the seed): AndreiM has a block but is not a participant; three name pairs; three unindented continuations; a trailing space', () => {
    expect(lineCodes('2022-03-19')).toEqual([
      [7, 'name-mismatch'],
      [11, 'name-mismatch'],
      [12, 'name-mismatch'],
      [36, 'continuation-indent'],
      [44, 'trailing-whitespace'],
      [48, 'continuation-indent'],
      [49, 'continuation-indent'],
      [64, 'block-without-participant'],
    ]);
    expect(messageAt('2022-03-19', 64, 'block-without-participant')).toEqual(['block "AndreiM" is not among the participants']);
    expect(messageAt('2022-03-19', 11, 'name-mismatch')[0]).toContain('"RaduN" (line 22) differs only by a suffix');
    expect(messageAt('2022-03-19', 12, 'name-mismatch')[0]).toContain('"DanU" (line 71) differs only by a suffix');
  });

  it("2022-03-26: colliding labels (Gabi's [1] and [3]; [2] has the same URL), `* [n]:` definitions, colon headers", () => {
    expect(lineCodes('2022-03-26')).toEqual([
      [28, 'continuation-indent'],
      ...[30, 34, 42, 45, 49, 53].map((line) => ALL(line, 'header-colon')),
      ...[58, 59, 60, 61, 62, 63].map((line) => ALL(line, 'bulleted-definition')),
      [70, 'foreign-link'],
      [71, 'foreign-link'],
      [72, 'trailing-whitespace'],
      [75, 'bulleted-definition'],
      [75, 'label-restart'],
      [76, 'bulleted-definition'],
      [76, 'label-restart'],
      [77, 'bulleted-definition'],
      [77, 'label-restart'],
    ]);
    expect(messageAt('2022-03-26', 71, 'foreign-link')).toEqual([
      '[3] links to https://github.com/unikraft/unikraft/pull/392, defined at line 60 for "ȘtefanJ", not to this block\'s https://github.com/unikraft/unikraft/pull/431 (line 77)',
    ]);
  });

  it('2022-04-09: +01:00 is wrong for Europe/Berlin that day; AT/AndreiT; colon headers; two continuations', () => {
    expect(lineCodes('2022-04-09')).toEqual([
      [2, 'utc-offset'],
      [13, 'name-mismatch'],
      [26, 'header-colon'],
      [29, 'header-colon'],
      [33, 'header-colon'],
      [43, 'continuation-indent'],
      [47, 'continuation-indent'],
      [53, 'header-colon'],
    ]);
    expect(messageAt('2022-04-09', 2, 'utc-offset')).toEqual([
      'UTC offset +01:00 is wrong for Europe/Berlin on 2022-04-09 (it is +02:00): write 2022-04-09T09:00:00+02:00',
    ]);
    expect(messageAt('2022-04-09', 13, 'name-mismatch')[0]).toContain('the block "AT" (line 49) looks like its initials');
  });

  it('2022-04-16: wrong offset, and a placeholder throughout', () => {
    expect(lineCodes('2022-04-16')).toEqual([[2, 'utc-offset'], ...[7, 12, 13, 14, 16, 17, 18, 20, 21, 22].map((line) => ALL(line, 'placeholder'))]);
    expect(messageAt('2022-04-16', 7, 'placeholder')).toEqual(['participant "TODO" is a placeholder']);
    expect(messageAt('2022-04-16', 12, 'placeholder')).toEqual(['header "Name" is a placeholder']);
  });

  it('checks no offset without a time zone, and Bucharest finds every winter file wrong', () => {
    for (const date of EXAMPLE_DATES) expect(checkNotes(example(date)).some((f) => f.code === 'utc-offset')).toBe(false);
    const bucharest = EXAMPLE_DATES.filter((date) => checkNotes(example(date), { timeZone: 'Europe/Bucharest' }).some((f) => f.code === 'utc-offset'));
    expect(bucharest).toEqual([...EXAMPLE_DATES]);
  });

  it('after render(parse(f)) only the content findings remain', () => {
    const content = new Set(['name-mismatch', 'participant-without-block', 'block-without-participant', 'utc-offset', 'placeholder', 'undefined-label']);
    for (const date of EXAMPLE_DATES) {
      const findings = checkNotes(render(parseNotes(example(date))), TZ);
      expect(findings.filter((f) => !content.has(f.code))).toEqual([]);
    }
  });
});

describe('check on other input', () => {
  const meeting = (datetime: string): Notes => ({
    datetime,
    location: 'Online, Discord, the `#monkey-business` voice channel',
    teams: ['community'],
    participants: ['ȘtefanJ', 'RăzvanD', 'Teo', 'Quiet'],
    blocks: [
      {
        names: ['ȘtefanJ'],
        bullets: [{ text: 'reviewed [1] and [2]', continuation: ['more'] }],
        references: [
          { label: '1', url: 'https://a' },
          { label: '2', url: 'https://b' },
        ],
      },
      { names: ['RăzvanD', 'Teo'], bullets: [{ text: 'also [1]', continuation: [] }], references: [{ label: '1', url: 'https://c' }] },
      { names: ['Quiet'], bullets: [{ text: 'nothing', continuation: [] }], references: [] },
    ],
  });

  it('finds nothing on a freshly rendered file, across DST changes', () => {
    for (const date of ['2022-03-19', '2022-03-27', '2022-04-09', '2022-10-30', '2022-11-05']) {
      expect(checkNotes(render(meeting(zonedDatetime(date, '09:00', 'Europe/Berlin'))), TZ)).toEqual([]);
    }
  });

  it('reports invalid datetimes and a missing final newline', () => {
    const file = render(meeting('2022-03-19T09:00:00+01:00'));
    const at = (text: string) => checkNotes(text, TZ).map((f) => [f.line, f.code]);
    expect(at(file.replace('2022-03-19T09:00:00', '2022-02-30T09:00:00'))).toEqual([[2, 'invalid-date']]);
    expect(at(file.replace('2022-03-19T09:00:00+01:00', '2022-03-19T08:00:00Z'))).toEqual([[2, 'invalid-datetime']]);
    expect(at(file.replace('2022-03-19T09:00:00+01:00', '2022-03-27T02:30:00+01:00'))).toEqual([[2, 'utc-offset']]);
    expect(at(file.slice(0, -1))).toEqual([[file.split('\n').length - 1, 'final-newline']]);
  });

  it('suggests a case-only match, and refuses an unknown zone', () => {
    const file = render(meeting('2022-03-19T09:00:00+01:00')).replace('\nQuiet\n', '\nquiet\n');
    expect(checkNotes(file, TZ).map((f) => f.message)).toEqual([expect.stringContaining('"quiet" (line 27) differs only in case')]);
    expect(() => checkNotes(file, { timeZone: 'Mars/Olympus' })).toThrow(NotesInputError);
  });
});
