import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUpdate, parseUpdate } from '../../src/notes/bullets.ts';
import { NotesInputError } from '../../src/notes/errors.ts';
import type { Update } from '../../src/notes/types.ts';

const b = (text: string, ...continuation: string[]) => ({ text, continuation });
const ref = (label: string, url: string) => ({ label, url });

// input -> expected Update; one row per rule of the /update text.
const table: [string, string, Update][] = [
  ['one bullet a line, no marker', 'first\nsecond', { bullets: [b('first'), b('second')], references: [] }],
  ['* marker', '* a\n*  b', { bullets: [b('a'), b('b')], references: [] }],
  ['- marker', '- a\n- b', { bullets: [b('a'), b('b')], references: [] }],
  ['• marker, with or without a space', '• a\n•b', { bullets: [b('a'), b('b')], references: [] }],
  ['1. and 1) markers', '1. a\n2) b\n10. c', { bullets: [b('a'), b('b'), b('c')], references: [] }],
  ['+ marker', '+ a', { bullets: [b('a')], references: [] }],
  ['no marker without the space', '*bold* text\n-5 degrees\n1.5 ms', { bullets: [b('*bold* text'), b('-5 degrees'), b('1.5 ms')], references: [] }],
  ['a marker alone holds no bullet', '*\n- \na', { bullets: [b('a')], references: [] }],
  ['indented line continues the bullet above', '* a\n  more\n    even more', { bullets: [b('a', 'more', 'even more')], references: [] }],
  ['indented marker line is kept as continuation text', '* a\n  - sub', { bullets: [b('a', '- sub')], references: [] }],
  ['indented first line starts a bullet', '  - a\n  b', { bullets: [b('a', 'b')], references: [] }],
  ['blank lines ignored (an indented line after one still continues)', '\n* a\n\n\n  more\n\n* b\n', { bullets: [b('a', 'more'), b('b')], references: [] }],
  ['[n]: url is a definition', '* see [1]\n[1]: https://x.org/1', { bullets: [b('see [1]')], references: [ref('1', 'https://x.org/1')] }],
  [
    '* [n]: url and indented definitions',
    '* see [1] [2]\n* [1]: https://x.org/1\n  [2]: <https://x.org/2>',
    { bullets: [b('see [1] [2]')], references: [ref('1', 'https://x.org/1'), ref('2', 'https://x.org/2')] },
  ],
  ['definition text with spaces is not a definition', '[1]: not a url', { bullets: [b('[1]: not a url')], references: [] }],
  ['CRLF and lone CR normalised', '* a\r\n  more\r* b', { bullets: [b('a', 'more'), b('b')], references: [] }],
  ['U+2028 and NEL are newlines', 'a\u2028b\u0085c', { bullets: [b('a'), b('b'), b('c')], references: [] }],
  ['Unicode NFC', 'S\u0326tefan R\u0103zvan R\u0061\u0306zvan', { bullets: [b('Ștefan Răzvan Răzvan')], references: [] }],
  ['control characters removed', 'a\u0000b\u0007c\u001bd\u007f', { bullets: [b('abcd')], references: [] }],
  ['zero-width and bidi characters removed', '\uFEFFa\u200Bb\u2060c\u200Ed\u202Ee\u00ADf', { bullets: [b('abcdef')], references: [] }],
  ['ZWJ kept inside an emoji sequence only', 'x\u200Dy \u{1F468}\u200D\u{1F469}', { bullets: [b('xy \u{1F468}\u200D\u{1F469}')], references: [] }],
  ['tab is whitespace: tab-indented line continues', '* a\n\tmore', { bullets: [b('a', 'more')], references: [] }],
  ['trailing spaces trimmed', '* a  \n  more \t\n', { bullets: [b('a', 'more')], references: [] }],
  ['inner spacing kept', '* a  b', { bullets: [b('a  b')], references: [] }],
  [
    'exactly 50 bullets accepted',
    Array.from({ length: 50 }, (_, i) => `* ${i}`).join('\n'),
    { bullets: Array.from({ length: 50 }, (_, i) => b(String(i))), references: [] },
  ],
  ['exactly 4,000 characters accepted', `* ${'x'.repeat(3998)}`, { bullets: [b('x'.repeat(3998))], references: [] }],
];

const refused: [string, string, string][] = [
  ['over 4,000 characters', `* ${'x'.repeat(3999)}`, 'too-long'],
  ['over 4,000 code points of emoji', '😀'.repeat(4001), 'too-long'],
  ['over 50 bullets', Array.from({ length: 51 }, (_, i) => `* ${i}`).join('\n'), 'too-many-bullets'],
  ['empty text', '', 'empty'],
  ['only blank lines and markers', '\n  \n*\n- \n', 'empty'],
  ['only invisible characters', '\u200B\uFEFF\u0000', 'empty'],
  ['only definitions', '[1]: https://x.org', 'empty'],
  ['a label defined twice', '* a [1]\n[1]: https://a\n[1]: https://b', 'duplicate-label'],
];

describe('parseUpdate', () => {
  it.each(table)('%s', (_name, input, expected) => {
    expect(parseUpdate(input)).toEqual(expected);
  });

  it.each(refused)('refuses %s', (_name, input, code) => {
    let caught: unknown;
    try {
      parseUpdate(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NotesInputError);
    expect((caught as NotesInputError).code).toBe(code);
    expect((caught as NotesInputError).message.length).toBeGreaterThan(20);
  });

  it('says what the limit is and how far over the input is', () => {
    expect(() => parseUpdate('x'.repeat(4500))).toThrow(/4,500 characters long; the limit is 4,000/);
    expect(() => parseUpdate(Array.from({ length: 60 }, (_, i) => `* ${i}`).join('\n'))).toThrow(/60 bullets; the limit is 50/);
  });
});

describe('formatUpdate', () => {
  it('writes bullets, two-space continuations, then definitions', () => {
    const update: Update = { bullets: [b('a [1]', 'more'), b('b')], references: [ref('1', 'https://x.org/1')] };
    expect(formatUpdate(update)).toBe('* a [1]\n  more\n* b\n[1]: https://x.org/1');
  });

  it('round-trips through parseUpdate for every update parseUpdate returns', () => {
    const piece = fc.constantFrom(
      '* ',
      '- ',
      '1. ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '[1]: https://x',
      '[2]',
      'a',
      'b c',
      '•',
      '\u200B',
      'Ș',
      'S\u0326',
      ' ',
      '*',
      ':',
      '😀',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 40 }), (parts) => {
        let update: Update;
        try {
          update = parseUpdate(parts.join(''));
        } catch (error) {
          if (error instanceof NotesInputError) return;
          throw error;
        }
        expect(parseUpdate(formatUpdate(update))).toEqual(update);
      }),
      { numRuns: 500 },
    );
  });
});
