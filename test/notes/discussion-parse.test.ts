import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDiscussion, parseDiscussionBlocks } from '../../src/notes/discussion/parse.ts';
import { renderDiscussion } from '../../src/notes/discussion/render.ts';
import { CANONICAL_DISCUSSIONS, OTHER_DISCUSSIONS, discussionExample, lineEdits } from './fixtures.ts';

const codes = (text: string) => parseDiscussion(text).warnings.map((w) => [w.line, w.code]);
const canonical = (text: string) => renderDiscussion(parseDiscussion(text));

/** `text` with lines replaced (`null` removes the line) and lines inserted before others, by 1-based line of `text`. */
function edited(text: string, replace: Record<number, string | null>, insertBefore: Record<number, string[]> = {}): string {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    out.push(...(insertBefore[i + 1] ?? []));
    const replacement = replace[i + 1];
    if (replacement === undefined) out.push(line);
    else if (replacement !== null) out.push(replacement);
  });
  return out.join('\n');
}

const FM =
  '---\ntitle: "VMM WG, June 14, 2023"\ntags: unikraft, vmm\ndatetime: 2023-06-14T10:00:00+02:00\nlocation: Online\nteams:\n- vmm\nparticipants:\n- Ann\n---\n';
// Line numbers in the bodies below: FM is lines 1-10, line 11 is blank, the body starts on 12.
const doc = (body: string) => `${FM}\n${body}`;

describe('the five canonical examples', () => {
  it.each(CANONICAL_DISCUSSIONS)('%s: parses without a warning and renders back byte for byte', (name) => {
    const text = discussionExample(name);
    const notes = parseDiscussion(text);
    expect(notes.warnings).toEqual([]);
    expect(renderDiscussion(notes)).toBe(text);
  });

  it('security-2024-03-25: front matter, topics, turns of one and several lines, joint speakers, the tasks', () => {
    const notes = parseDiscussion(discussionExample('security-2024-03-25'));
    expect(notes.title).toBe('Security WG, March 25, 2024');
    expect(notes.tags).toEqual(['unikraft', 'security']);
    expect(notes.datetime).toBe('2024-03-25T10:00:00+02:00');
    expect(notes.teams).toEqual(['security']);
    expect(notes.participants).toEqual(['Hugo', 'Michalis', 'Sergiu', 'ȘtefanJ', 'AlexA', 'ȘerbanS', 'RăzvanD']);
    expect(notes.agenda).toEqual([{ kind: 'list', items: [{ text: 'Status update' }, { text: 'Next steps' }] }]);
    expect(notes.discussion.filter((b) => b.kind === 'heading').map((b) => b.kind === 'heading' && b.text)).toEqual([
      'HW Rand',
      'Memory Randomization / ASLR',
      'MTE Musl',
    ]);
    expect(notes.discussion[0]).toEqual({ kind: 'heading', level: 3, text: 'HW Rand' });
    expect(notes.discussion[4]).toEqual({
      kind: 'turn',
      speakers: ['MP'],
      lines: ['Adding an entropy pool is a complex job.', 'If we want it similar to the Linux kernel, it will be complicated.'],
    });
    expect(notes.discussion[7]).toEqual({ kind: 'text', lines: ['The entropy pool of Linux is complex and complicated in Unikraft.'] });
    expect(notes.discussion.find((b) => b.kind === 'turn' && b.speakers.length === 2)).toEqual({
      kind: 'turn',
      speakers: ['RD', 'MP'],
      lines: ['We can decide later at which level, and with what configuration options could we have?'],
    });
    expect(notes.todos.map((b) => b.kind === 'turn' && b.speakers.join('/'))).toEqual(['SS', 'SJ', 'SJ']);
    expect(notes.lines.headings).toEqual({ agenda: 18, discussion: 23, todos: 73 });
    expect(notes.lines.discussion[4]).toEqual({ lines: [33, 34] });
  });

  it('kraft-2023-09-06: lists and paragraphs without a speaker inside the discussion', () => {
    const notes = parseDiscussion(discussionExample('kraft-2023-09-06'));
    expect(notes.discussion.map((b) => b.kind)).toEqual(['turn', 'turn', 'list', 'text', 'list', 'text', 'text', 'turn']);
    const list = notes.discussion[2];
    expect(list?.kind === 'list' && list.items.length).toBe(4);
    expect(notes.lines.discussion[2]).toEqual({ lines: [26, 27, 28, 29] });
  });

  it('smp-2024-01-10: a discussion that starts without a speaker', () => {
    const notes = parseDiscussion(discussionExample('smp-2024-01-10'));
    expect(notes.discussion[0]).toEqual({ kind: 'text', lines: ['There was an issue with the NX bit.', 'I need to test if it works.'] });
    expect(notes.todos).toHaveLength(2);
  });
});

describe('the other five examples: the warnings, line by line, and exactly the canonical changes', () => {
  it('app-compat-2022-03-16 (older generation): list indentation, ### headings without emoji, * bullets', () => {
    const text = discussionExample('app-compat-2022-03-16');
    expect(codes(text)).toEqual([
      [5, 'list-indent'],
      [7, 'list-indent'],
      [8, 'list-indent'],
      [9, 'list-indent'],
      [10, 'list-indent'],
      [13, 'heading-level'],
      [13, 'heading-emoji'],
      [15, 'bullet-marker'],
      [16, 'bullet-marker'],
      [18, 'heading-level'],
      [18, 'heading-emoji'],
      [51, 'heading-level'],
      [51, 'heading-emoji'],
    ]);
    const notes = parseDiscussion(text);
    expect(notes.title).toBeUndefined();
    expect(notes.tags).toBeUndefined();
    expect(notes.agenda).toEqual([{ kind: 'list', items: [{ text: 'Updates on ukthread' }, { text: 'Reviews' }] }]);
    expect(notes.todos).toHaveLength(4);
    expect(canonical(text)).toBe(
      edited(text, {
        5: '- kraft',
        7: '- Simon',
        8: '- Sergiu',
        9: '- Dragoș',
        10: '- RăzvanD',
        13: '## :dart: Agenda',
        15: '- Updates on ukthread',
        16: '- Reviews',
        18: '## :closed_book: Discussions',
        51: '## :wrench: TODOs and Decisions',
      }),
    );
  });

  it('app-compat-2022-07-20 (no TODOs section): nothing to warn about; an empty section is left out, so it round-trips', () => {
    const text = discussionExample('app-compat-2022-07-20');
    expect(codes(text)).toEqual([]);
    expect(parseDiscussion(text).todos).toEqual([]);
    expect(canonical(text)).toBe(text);
  });

  it('app-compat-2022-10-04: two trailing spaces', () => {
    const text = discussionExample('app-compat-2022-10-04');
    expect(codes(text)).toEqual([
      [37, 'trailing-whitespace'],
      [49, 'trailing-whitespace'],
    ]);
    expect(canonical(text)).toBe(edited(text, { 37: 'RK: Created issue with `pthread_getname()`:', 49: 'RD/DA: Review draft PRs from Simon:' }));
    // The task of line 49 keeps its three link lines; "Next meeting: ..." has a space before the colon's word: not a turn.
    const todos = parseDiscussion(text).todos;
    expect(todos[4]).toEqual({
      kind: 'turn',
      speakers: ['RD', 'DA'],
      lines: [
        'Review draft PRs from Simon:',
        'https://github.com/unikraft/unikraft/pull/564,',
        'https://github.com/unikraft/unikraft/pull/565,',
        'https://github.com/unikraft/unikraft/pull/566',
      ],
    });
    expect(todos[5]).toEqual({ kind: 'text', lines: ['Next meeting: Friday, October 7, 2022, 1pm CEST'] });
  });

  it('app-compat-app-compat-2023-03-08: two lists glued to the line that introduces them', () => {
    const text = discussionExample('app-compat-app-compat-2023-03-08');
    expect(codes(text)).toEqual([
      [47, 'list-glued'],
      [93, 'list-glued'],
    ]);
    expect(canonical(text)).toBe(edited(text, {}, { 47: [''], 93: [''] }));
    const notes = parseDiscussion(text);
    const turn = notes.discussion.findIndex((b) => b.kind === 'turn' && b.speakers[0] === 'RD');
    expect(notes.discussion[turn]).toEqual({
      kind: 'turn',
      speakers: ['RD'],
      lines: ['Cosmin, Teo, when issues are solved, look into running other applications on top of the ELF Loader:'],
    });
    expect(notes.discussion[turn + 1]?.kind).toBe('list');
    expect(notes.lines.discussion[turn + 1]).toEqual({ lines: [47, 48, 49] });
  });

  it('community-2023-2023-02-10: two headings without their emoji', () => {
    const text = discussionExample('community-2023-2023-02-10');
    expect(codes(text)).toEqual([
      [25, 'heading-emoji'],
      [88, 'heading-emoji'],
    ]);
    expect(parseDiscussion(text).warnings[0]?.message).toBe('section heading without its emoji; the format writes "## :closed_book: Discussions"');
    expect(canonical(text)).toBe(edited(text, { 25: '## :closed_book: Discussions', 88: '## :wrench: TODOs and Decisions' }));
    // "Lukas:" and "Everyone:" are speakers by name; a decision is a paragraph without one.
    const todos = parseDiscussion(text).todos;
    expect(todos.map((b) => (b.kind === 'turn' ? b.speakers.join('/') : b.kind))).toEqual(['text', 'RD', 'Everyone']);
  });

  it.each(OTHER_DISCUSSIONS)('%s: the canonical form reads back without a warning and is its own canonical form', (name) => {
    const once = canonical(discussionExample(name));
    expect(parseDiscussion(once).warnings).toEqual([]);
    expect(canonical(once)).toBe(once);
  });

  it.each([...CANONICAL_DISCUSSIONS, ...OTHER_DISCUSSIONS])('%s: every line the canonical form changes, adds before or removes carries a warning', (name) => {
    const text = discussionExample(name);
    const warned = new Set(parseDiscussion(text).warnings.map((w) => w.line));
    const unwarned = lineEdits(text, canonical(text)).filter((edit) => !warned.has(edit.line));
    expect(unwarned).toEqual([]);
  });
});

describe('tolerances, each with a warning on its line and the canonical change', () => {
  const cases: [string, string, [number, string][], string][] = [
    ['a doubled blank line', '## :dart: Agenda\n\n\n- a\n', [[14, 'blank-lines']], '## :dart: Agenda\n\n- a\n'],
    ['no blank line after a heading', '## :dart: Agenda\n- a\n', [[13, 'heading-spacing']], '## :dart: Agenda\n\n- a\n'],
    [
      'no blank line before a heading',
      '## :dart: Agenda\n\n- a\n## :closed_book: Discussions\n\nAB: x\n',
      [[15, 'heading-spacing']],
      '## :dart: Agenda\n\n- a\n\n## :closed_book: Discussions\n\nAB: x\n',
    ],
    ['a heading with another emoji', '## :memo: Agenda\n\n- a\n', [[12, 'heading-emoji']], '## :dart: Agenda\n\n- a\n'],
    ['a heading named otherwise', '## :closed_book: Discussion\n\nAB: x\n', [[12, 'heading-name']], '## :closed_book: Discussions\n\nAB: x\n'],
    [
      'a "Tasks / Decisions" heading (the old template)',
      '### Tasks / Decisions\n\nAB: x\n',
      [
        [12, 'heading-level'],
        [12, 'heading-emoji'],
        [12, 'heading-name'],
      ],
      '## :wrench: TODOs and Decisions\n\nAB: x\n',
    ],
    [
      'sections out of order',
      '## :closed_book: Discussions\n\nAB: x\n\n## :dart: Agenda\n\n- a\n',
      [[16, 'section-order']],
      '## :dart: Agenda\n\n- a\n\n## :closed_book: Discussions\n\nAB: x\n',
    ],
    ['a section written twice', '## :dart: Agenda\n\n- a\n\n## :dart: Agenda\n\n- b\n', [[16, 'duplicate-section']], '## :dart: Agenda\n\n- a\n- b\n'],
    ['an empty section', '## :dart: Agenda\n\n## :closed_book: Discussions\n\nAB: x\n', [[12, 'empty-section']], '## :closed_book: Discussions\n\nAB: x\n'],
    [
      '* and + bullets',
      '## :dart: Agenda\n\n* a\n+ b\n',
      [
        [14, 'bullet-marker'],
        [15, 'bullet-marker'],
      ],
      '## :dart: Agenda\n\n- a\n- b\n',
    ],
    [
      'numbers other than 1.',
      '## :dart: Agenda\n\n1. a\n2. b\n3) c\n',
      [
        [15, 'ordered-number'],
        [16, 'ordered-number'],
      ],
      '## :dart: Agenda\n\n1. a\n1. b\n1. c\n',
    ],
    [
      'nested items not under the parent text',
      '## :dart: Agenda\n\n- a\n    - b\n1. c\n    - d\n',
      [
        [15, 'list-indent'],
        [17, 'list-indent'],
      ],
      '## :dart: Agenda\n\n- a\n  - b\n1. c\n   - d\n',
    ],
    ['a list at an indent', '## :dart: Agenda\n\n  - a\n', [[14, 'list-indent']], '## :dart: Agenda\n\n- a\n'],
    ['two spaces after the marker', '## :dart: Agenda\n\n-  a\n', [[14, 'bullet-spacing']], '## :dart: Agenda\n\n- a\n'],
    ['a blank line between items', '## :dart: Agenda\n\n- a\n\n- b\n', [[15, 'blank-between-items']], '## :dart: Agenda\n\n- a\n- b\n'],
    [
      'continuation lines not under the item text',
      '## :dart: Agenda\n\n- a\nlazy\n one\n    deep\n',
      [
        [15, 'continuation-indent'],
        [16, 'continuation-indent'],
      ],
      '## :dart: Agenda\n\n- a\n  lazy\n  one\n    deep\n',
    ],
    [
      'a list glued to a turn',
      '## :closed_book: Discussions\n\nRD: Next steps:\n- a\n',
      [[15, 'list-glued']],
      '## :closed_book: Discussions\n\nRD: Next steps:\n\n- a\n',
    ],
    [
      'a code fence glued to a turn',
      '## :closed_book: Discussions\n\nAB: see\n```\nx\n```\n',
      [[15, 'block-spacing']],
      '## :closed_book: Discussions\n\nAB: see\n\n```\nx\n```\n',
    ],
    [
      'text glued to a code fence',
      '## :closed_book: Discussions\n\n```\nx\n```\nAB: y\n',
      [[17, 'block-spacing']],
      '## :closed_book: Discussions\n\n```\nx\n```\n\nAB: y\n',
    ],
    [
      'an empty section at the end of the file',
      '## :dart: Agenda\n\n- a\n\n## :wrench: TODOs and Decisions\n',
      [[16, 'empty-section']],
      '## :dart: Agenda\n\n- a\n',
    ],
  ];
  it.each(cases)('%s', (_, body, expected, out) => {
    expect(codes(doc(body))).toEqual(expected);
    expect(canonical(doc(body))).toBe(doc(out));
    expect(codes(doc(out))).toEqual([]);
  });

  it('the common ones: CRLF ends, trailing whitespace, no final newline, blank lines at the end', () => {
    const text = doc('## :dart: Agenda\n\n- a  \n- b').replace(/\n/g, '\r\n');
    expect(codes(text)).toEqual([
      [1, 'line-ending'],
      [14, 'trailing-whitespace'],
      [15, 'final-newline'],
    ]);
    expect(canonical(text)).toBe(doc('## :dart: Agenda\n\n- a\n- b\n'));
    expect(codes(doc('## :dart: Agenda\n\n- a\n\n\n'))).toEqual([
      [15, 'trailing-blank-line'],
      [16, 'trailing-blank-line'],
    ]);
  });

  it('no blank line after the front matter; two of them', () => {
    expect(codes(`${FM}## :dart: Agenda\n\n- a\n`)).toEqual([[11, 'heading-spacing']]);
    expect(canonical(`${FM}## :dart: Agenda\n\n- a\n`)).toBe(doc('## :dart: Agenda\n\n- a\n'));
    expect(codes(`${FM}\n\n## :dart: Agenda\n\n- a\n`)).toEqual([[12, 'blank-lines']]);
  });

  it('front matter: items indented, keys out of order, tags as a list, a plain title, single quotes, no seconds, a comment, an extra key', () => {
    const text =
      "---\ntags:\n  - unikraft\n  - vmm\ntitle: VMM WG, June 14, 2023\ndatetime: 2023-06-14T10:00+02:00\nlocation: 'Online'\n# who came\nteams:\n  - vmm\nparticipants:\n    - Ann, Bob\nrevision: 2\n---\n\n## :dart: Agenda\n\n- a\n";
    expect(codes(text)).toEqual([
      [2, 'tags-list'],
      [2, 'key-order'],
      [3, 'yaml-style'],
      [4, 'yaml-style'],
      [5, 'title-quotes'],
      [6, 'datetime-seconds'],
      [7, 'yaml-style'],
      [8, 'yaml-style'],
      [10, 'list-indent'],
      [12, 'list-indent'],
      [12, 'comma-list'],
      [13, 'extra-key'],
    ]);
    const notes = parseDiscussion(text);
    expect(notes.tags).toEqual(['unikraft', 'vmm']);
    expect(notes.participants).toEqual(['Ann', 'Bob']);
    expect(notes.extra).toEqual({ revision: 2 });
    expect(canonical(text)).toBe(
      '---\ntitle: "VMM WG, June 14, 2023"\ntags: unikraft, vmm\ndatetime: 2023-06-14T10:00:00+02:00\nlocation: Online\nteams:\n- vmm\nparticipants:\n- Ann\n- Bob\nrevision: 2\n---\n\n## :dart: Agenda\n\n- a\n',
    );
  });

  it('keeps every line of text: code as written, a preamble, a heading in the agenda, a turn-like line inside a turn', () => {
    const body =
      '# Notes\n\nIntro.\n\n## :dart: Agenda\n\n### Not here\n\n- a\n\n## :closed_book: Discussions\n\nAB: one\nCD: two\n\n```sh\n\n  indented   \n```\n\n| a | b |\n|---|---|\n';
    const notes = parseDiscussion(doc(body));
    expect(notes.preamble).toEqual([
      { kind: 'heading', level: 1, text: 'Notes' },
      { kind: 'text', lines: ['Intro.'] },
    ]);
    expect(notes.agenda[0]).toEqual({ kind: 'heading', level: 3, text: 'Not here' });
    expect(notes.discussion).toEqual([
      { kind: 'turn', speakers: ['AB'], lines: ['one', 'CD: two'] },
      { kind: 'code', lines: ['```sh', '', '  indented', '```'] },
      { kind: 'text', lines: ['| a | b |', '|---|---|'] },
    ]);
    expect(codes(doc(body))).toEqual([[29, 'trailing-whitespace']]);
    expect(canonical(doc(body))).toBe(doc(body.replace('indented   ', 'indented')));
  });

  it('an unclosed code fence runs to the end, as in Markdown (check says so)', () => {
    const body = '## :closed_book: Discussions\n\n```\nx\n\n## :wrench: TODOs and Decisions\n';
    expect(codes(doc(body))).toEqual([]);
    expect(parseDiscussion(doc(body)).discussion).toEqual([{ kind: 'code', lines: ['```', 'x', '', '## :wrench: TODOs and Decisions'] }]);
    expect(canonical(doc(body))).toBe(doc(body));
  });

  it('a file without front matter, and one whose front matter is not closed, lose no line', () => {
    const bare = '## :dart: Agenda\n\n- a\n';
    expect(codes(bare)).toEqual([[1, 'front-matter']]);
    expect(parseDiscussion(bare).agenda).toHaveLength(1);
    const open = '---\ntitle: "x"\n## :dart: Agenda\n\n- a\n';
    const notes = parseDiscussion(open);
    expect(notes.preamble).toEqual([{ kind: 'text', lines: ['---', 'title: "x"'] }]);
    expect(notes.agenda).toEqual([{ kind: 'list', items: [{ text: 'a' }] }]);
  });

  it('an extra front-matter key is kept in the canonical form, and warned about there too (a counterexample of the property below)', () => {
    // "+ " is read by YAML as a key without a value; "[1]" is no plain name and is dropped with a warning.
    const text = '---\n[1]: http://a\n+ \n---';
    expect(parseDiscussion(text).extra).toEqual({ '+': null });
    const once = canonical(text);
    expect(once).toBe('---\ndatetime: ""\nlocation: ""\nteams: []\nparticipants: []\n+: null\n---\n');
    expect(codes(once)).toEqual([[6, 'extra-key']]);
    expect(canonical(once)).toBe(once);
  });
});

describe('parseDiscussionBlocks (text typed for a section)', () => {
  it('reads turns, lists and paragraphs with the rules of a file body, every heading a sub-heading', () => {
    const { blocks, warnings } = parseDiscussionBlocks('AB: We decided:\n* a\n* b\n\n## Agenda\n\nMore.\n');
    expect(blocks).toEqual([
      { kind: 'turn', speakers: ['AB'], lines: ['We decided:'] },
      { kind: 'list', items: [{ text: 'a' }, { text: 'b' }] },
      { kind: 'heading', level: 2, text: 'Agenda' },
      { kind: 'text', lines: ['More.'] },
    ]);
    expect(warnings.map((w) => [w.line, w.code])).toEqual([
      [2, 'list-glued'],
      [2, 'bullet-marker'],
      [3, 'bullet-marker'],
    ]);
  });
});

describe('any text (property)', () => {
  // Pieces of the layout and of what people write, put together at random into lines.
  const pieces = [
    '',
    ' ',
    '  ',
    '    ',
    '\t',
    '- ',
    '* ',
    '+ ',
    '1. ',
    '2) ',
    '10. ',
    '#',
    '## ',
    '### ',
    '## :dart: Agenda',
    '### Discussions',
    '## TODOs',
    '```',
    '~~~',
  ];
  const words = ['AB: ', 'CD/EF:', 'text', 'x y', '[1]', '[1]: http://a', '---', '> q', '|a|', 'TODO', ':', 'é'];
  const line = fc.array(fc.constantFrom(...pieces, ...words), { maxLength: 4 }).map((parts) => parts.join(''));
  const head = fc.constantFrom('', FM, '---\ndatetime: 2023-06-01T10:00+02:00\nlocation: x\nteams:\n  - a\nparticipants:\n  - b\n---\n');

  it('is read without throwing, and its canonical form reads back without a warning and is its own canonical form', () => {
    fc.assert(
      fc.property(head, fc.array(line, { maxLength: 25 }), fc.boolean(), (start, lines, newline) => {
        const once = canonical(start + lines.join('\n') + (newline ? '\n' : ''));
        // An extra front-matter key is kept, so it is warned about again: the one warning a canonical form keeps.
        const back = parseDiscussion(once);
        expect(back.warnings.filter((w) => w.code !== 'extra-key')).toEqual([]);
        expect(back.warnings).toHaveLength(Object.keys(back.extra).length);
        expect(canonical(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
