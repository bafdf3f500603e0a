import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseNotes } from '../../src/notes/parse.ts';
import { labelStarts, render, renderBlock, renderChunks } from '../../src/notes/render.ts';
import type { Block, Notes } from '../../src/notes/types.ts';
import { changedLines, example } from './fixtures.ts';

const seed = example('2022-03-19');
const b = (text: string, ...continuation: string[]) => ({ text, continuation });
const LOCATION = 'Online, Discord (https://bit.ly/UnikraftDiscord), the `#monkey-business` voice channel';

/** The seed's content as the bot would hold it: blocks in order, participants as written. */
const seedNotes: Notes = {
  datetime: '2022-03-19T09:00:00+01:00',
  location: LOCATION,
  teams: ['community'],
  participants: ['RazvanD', 'ȘtefanJ', 'PaulV', 'AlexA', 'Radu', 'Dan', 'AndreiT', 'Teo', 'Gabi', 'AlexP', 'Sergiu'],
  blocks: [
    {
      names: ['RaduN'],
      bullets: [
        b('fuzzed a linux app'),
        b('currently stuck on fuzzing on vm cloning - > computer reboot unexpected and no debug log is printed. I am investigating on this'),
      ],
      references: [],
    },
    {
      names: ['ȘtefanJ'],
      bullets: [b('I reviewed this pr[1]'), b('I looked through this pr[2] and this issue[3], will keep digging')],
      references: [
        { label: '1', url: 'https://github.com/unikraft/unikraft/pull/394' },
        { label: '2', url: 'https://github.com/unikraft/unikraft/pull/337' },
        { label: '3', url: 'https://github.com/unikraft/unikraft/issues/6' },
      ],
    },
    { names: ['AlexA'], bullets: [b('Progressed with DLang.', 'Close to identify the problem with the Makefile and come back with a fix.')], references: [] },
    { names: ['Teo'], bullets: [b('Progressed on the kAFL PT investigation.'), b('Progressed on using PT bitmaps for fuzzing.')], references: [] },
    {
      names: ['AndreiT'],
      bullets: [
        b('Managed to boot Unikraft 0.7 on Firecracker'),
        b('Looked over networking in Firecracker (virtio block and network devices over mmio transpot) '),
      ],
      references: [],
    },
    {
      names: ['PaulV'],
      bullets: [
        b(
          'Looked over the FreeBSD and Linux Hyper-V support to learn how the interrupt for handling incoming messages and events on the guest vm is configured.',
          'The confusing part was the dynamic allocation of a free irq on FreeBSD.',
          'And as it seems this allocated irq is communicated to the hypervisor during the SynIC (synthetic interrupt controller, LAPIC + extensions) initialization, to use this irq to notify the guest vm.',
        ),
      ],
      references: [],
    },
    {
      names: ['Sergiu'],
      bullets: [
        b(
          'I looked up ways to give a different color to accumulated dots of a plot through matplotlib, came up unsuccessful - have to change the color of dots individually.',
        ),
        b('Added the possibility to differentiate between the setup time and the actual benchmark of an app within the plot.'),
      ],
      references: [],
    },
    {
      names: ['RăzvanD'],
      bullets: [
        b('I reviewed ukargparse test PR: https://github.com/unikraft/unikraft/pull/392'),
        b('I helped Alex Apostolescu with DRuntime build issues'),
        b('I talked to Sergiu Moga about involvement in RTC subsystem'),
      ],
      references: [],
    },
    {
      names: ['Gabi'],
      bullets: [b('Run app-sqlite with Uniprof on Xen'), b('Look over this PR: https://github.com/unikraft/unikraft/pull/392')],
      references: [],
    },
    {
      names: ['AndreiM'],
      bullets: [
        b('I ran a demo of ukstoreprovided by @Cezar Craciunoiu and familiarized with it'),
        b('I talked to @Razvan Deaconescu and @Cezar Craciunoiu about the way to progress with the implementation of procfs'),
      ],
      references: [],
    },
    { names: ['AlexP'], bullets: [b('I tested connection with wasp and checked out tmux.')], references: [] },
    { names: ['DanU'], bullets: [b('Finished bump allocator'), b('Worked on some allocation tests')], references: [] },
  ],
};

describe('render: the examples', () => {
  it.each(['2022-01-08', '2022-01-15', '2022-01-22', '2022-04-16'])('render(parse(%s)) is the file, byte for byte', (date) => {
    const text = example(date);
    expect(render(parseNotes(text))).toBe(text);
  });

  it('the seed structure renders to the seed except its 3 unindented continuations and 1 trailing space', () => {
    const out = render(seedNotes);
    expect(changedLines(seed, out)).toEqual([
      {
        line: 36,
        from: 'Close to identify the problem with the Makefile and come back with a fix.',
        to: '  Close to identify the problem with the Makefile and come back with a fix.',
      },
      {
        line: 44,
        from: '* Looked over networking in Firecracker (virtio block and network devices over mmio transpot) ',
        to: '* Looked over networking in Firecracker (virtio block and network devices over mmio transpot)',
      },
      {
        line: 48,
        from: 'The confusing part was the dynamic allocation of a free irq on FreeBSD.',
        to: '  The confusing part was the dynamic allocation of a free irq on FreeBSD.',
      },
      {
        line: 49,
        from: 'And as it seems this allocated irq is communicated to the hypervisor during the SynIC (synthetic interrupt controller, LAPIC + extensions) initialization, to use this irq to notify the guest vm.',
        to: '  And as it seems this allocated irq is communicated to the hypervisor during the SynIC (synthetic interrupt controller, LAPIC + extensions) initialization, to use this irq to notify the guest vm.',
      },
    ]);
    expect(render(parseNotes(seed))).toBe(out);
  });

  it('-03-19 (the seed): render(parse) changes exactly the continuation indents and the trailing space', () => {
    expect(changedLines(seed, render(parseNotes(seed))).map((c) => [c.line, c.to])).toEqual([
      [36, '  Close to identify the problem with the Makefile and come back with a fix.'],
      [44, '* Looked over networking in Firecracker (virtio block and network devices over mmio transpot)'],
      [48, '  The confusing part was the dynamic allocation of a free irq on FreeBSD.'],
      [
        49,
        '  And as it seems this allocated irq is communicated to the hypervisor during the SynIC (synthetic interrupt controller, LAPIC + extensions) initialization, to use this irq to notify the guest vm.',
      ],
    ]);
  });

  it("-03-12: blank lines between definitions go, ȘtefanJ's labels become 4-6, a trailing space goes", () => {
    const text = example('2022-03-12');
    const lines = text.split('\n');
    // Lines 47, 49 (RăzvanV) and 63, 65 (ȘtefanJ) are the blank lines between definitions.
    for (const n of [47, 49, 63, 65]) expect(lines[n - 1]).toBe('');
    const expected = [...lines];
    expected[59 - 1] = '* I reviewed prs [4] and [5]';
    expected[60 - 1] = '* I looked on this pr[6], will finish reviewing it on Monday-Tuesday';
    expected[62 - 1] = '[4]: https://github.com/unikraft/unikraft/pull/418';
    expected[64 - 1] = '[5]: https://github.com/unikraft/unikraft/pull/407';
    expected[66 - 1] = '[6]: https://github.com/unikraft/unikraft/pull/404';
    for (const n of [65, 63, 49, 47]) expected.splice(n - 1, 1);
    expect(render(parseNotes(text))).toBe(expected.join('\n'));
  });

  it("-03-26: colon-free headers, indented continuation, `* [n]:` to `[n]:`, Gabi's labels become 7-9, a trailing space goes", () => {
    const text = example('2022-03-26');
    const out = render(parseNotes(text));
    const definitions = ['431', '433', '392', '432', '418', '78'];
    expect(changedLines(text, out).map((c) => [c.line, c.to])).toEqual([
      [28, '  The new function will be introduced in a separate PR, after I will do some proper testing.'],
      [30, 'Radu'],
      [34, 'AlexA'],
      [42, 'AlexP'],
      [45, 'Dan'],
      [49, 'Sebastian'],
      [53, 'ȘtefanJ'],
      ...definitions.map((pr, i) => [58 + i, `[${i + 1}]: https://github.com/unikraft/unikraft/pull/${pr}`]),
      [70, '* Create this [7] PR to resolve a warning from shim layer'],
      [71, '* Start to review [8] [9]'],
      [72, '* Identify a problem with UK_KRAFT_GITHUB_TOKEN and start a discussion on 🚀┃kraft'],
      [75, '[7]: https://github.com/unikraft/unikraft/pull/432'],
      [76, '[8]: https://github.com/unikraft/unikraft/pull/433'],
      [77, '[9]: https://github.com/unikraft/unikraft/pull/431'],
    ]);
  });

  it('-04-09: colon-free headers and two indented continuations', () => {
    const text = example('2022-04-09');
    expect(changedLines(text, render(parseNotes(text))).map((c) => [c.line, c.to])).toEqual([
      [26, 'Sergiu'],
      [29, 'ȘtefanJ'],
      [33, 'Dan'],
      [43, '  I`ll continue by checking golib implementation to find a way to fix the issues.'],
      [47, '  I used a simple app to test it. Still got work to do with changing the binary system calls to function calls.'],
      [53, 'Teo'],
    ]);
  });

  it('rendering is idempotent through parse on every example', () => {
    for (const date of ['2021-12-11', '2021-12-18', '2022-03-12', '2022-03-26']) {
      const once = render(parseNotes(example(date)));
      expect(render(parseNotes(once))).toBe(once);
      expect(parseNotes(once).warnings.filter((w) => w.code !== 'undefined-label')).toEqual([]);
    }
  });
});

describe('render: format rules', () => {
  const base: Notes = { datetime: '2022-03-19T09:00:00+01:00', location: 'Here', teams: [], participants: [], blocks: [] };

  it('writes empty lists as [] and ends with the heading when there is no block', () => {
    expect(render(base)).toBe('---\ndatetime: 2022-03-19T09:00:00+01:00\nlocation: Here\nteams: []\nparticipants: []\n---\n\n## Summary of Activities\n');
  });

  it('joins names with " / ", and never writes trailing whitespace or blank lines inside a bullet', () => {
    const block: Block = { names: ['RăzvanD', 'Teo'], bullets: [b('a  ', 'x ', '', '  '), b('')], references: [] };
    expect(render({ ...base, blocks: [block] })).toMatch(/\n\nRăzvanD \/ Teo\n\* a\n {2}x\n\*\n$/);
  });

  it('renumbers labels across the file in order of first use; unused definitions last', () => {
    const blocks: Block[] = [
      {
        names: ['A'],
        bullets: [b('x[2] y[1]')],
        references: [
          { label: '1', url: 'u1' },
          { label: '2', url: 'u2' },
          { label: 'spare', url: 'u3' },
        ],
      },
      {
        names: ['B'],
        bullets: [b('see [1] and [Docs]', '[1] again')],
        references: [
          { label: 'docs', url: 'v2' },
          { label: '1', url: 'v1' },
        ],
      },
    ];
    expect(render({ ...base, blocks }).split('## Summary of Activities\n\n')[1]).toBe(
      'A\n* x[1] y[2]\n\n[1]: u2\n[2]: u1\n[3]: u3\n\nB\n* see [4] and [5]\n  [4] again\n\n[4]: v1\n[5]: v2\n',
    );
  });

  it('keeps an undefined [n] as written and gives no definition its number', () => {
    const blocks: Block[] = [
      { names: ['A'], bullets: [b('PR[1] (undefined here)')], references: [] },
      {
        names: ['B'],
        bullets: [b('see [1] and [2]')],
        references: [
          { label: '1', url: 'v1' },
          { label: '2', url: 'v2' },
        ],
      },
    ];
    expect(render({ ...base, blocks }).split('## Summary of Activities\n\n')[1]).toBe(
      'A\n* PR[1] (undefined here)\n\nB\n* see [2] and [3]\n\n[2]: v1\n[3]: v2\n',
    );
  });

  it('does not read [x](url) inline links as label uses', () => {
    const blocks: Block[] = [
      { names: ['A'], bullets: [b('x')], references: [{ label: '1', url: 'a' }] },
      { names: ['B'], bullets: [b('[1](https://inline) and [1]')], references: [{ label: '1', url: 'b' }] },
    ];
    expect(render({ ...base, blocks })).toContain('B\n* [1](https://inline) and [2]\n\n[2]: b\n');
  });

  it('writes extra front-matter keys after participants', () => {
    const out = render({ ...base, extra: { revision: 2, tags: ['a', 'b'] } });
    expect(out).toContain('participants: []\nrevision: 2\ntags:\n  - a\n  - b\n---\n');
    expect(parseNotes(out).extra).toEqual({ revision: 2, tags: ['a', 'b'] });
  });
});

describe('renderBlock', () => {
  const stefan = seedNotes.blocks[1] as Block;
  it('renders one block as the file does, labels from 1 by default', () => {
    expect(renderBlock(stefan)).toBe(
      'ȘtefanJ\n* I reviewed this pr[1]\n* I looked through this pr[2] and this issue[3], will keep digging\n\n[1]: https://github.com/unikraft/unikraft/pull/394\n[2]: https://github.com/unikraft/unikraft/pull/337\n[3]: https://github.com/unikraft/unikraft/issues/6\n',
    );
  });
  it('with firstLabel from labelStarts, matches the block inside the rendered file', () => {
    const notes = parseNotes(example('2022-03-26'));
    const starts = labelStarts(notes);
    const file = render(notes);
    notes.blocks.forEach((block, i) => expect(file).toContain(`\n${renderBlock(block, { firstLabel: starts[i] ?? 1 })}`));
    expect(renderBlock(notes.blocks[10] as Block, { firstLabel: 7 })).toContain('* Start to review [8] [9]');
  });
});

describe('renderChunks', () => {
  const notes = parseNotes(example('2022-03-12'));
  const file = render(notes);

  it.each([1000, 2000, 100_000])('limit %i: concatenation is the file, every message (trimmed) within the limit', (limit) => {
    const chunks = renderChunks(notes, limit, Infinity) ?? [];
    expect(chunks.join('')).toBe(file);
    for (const chunk of chunks) expect(chunk.trim().length).toBeLessThanOrEqual(limit);
  });

  it('cuts only at block boundaries, into no more messages than allowed', () => {
    const chunks = renderChunks(notes, 1000, Infinity) ?? [];
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.endsWith('\n\n')).toBe(true);
    for (const chunk of chunks.slice(1)) expect(notes.blocks.some((block) => chunk.startsWith(`${block.names.join(' / ')}\n`))).toBe(true);
    expect(renderChunks(notes, 1000, chunks.length)).toEqual(chunks);
    expect(renderChunks(notes, 1000, chunks.length - 1)).toBeNull();
  });

  it('gives nothing when a block alone is longer than the limit: a person is never split over two messages', () => {
    const long: Notes = { ...notes, blocks: [{ names: ['X'], bullets: [b('😀'.repeat(300)), b('short')], references: [] }] };
    expect(renderChunks(long, 101, Infinity)).toBeNull();
    expect(renderChunks(long, 2000, Infinity)).toEqual([render(long)]);
  });

  it('refuses a limit below 2', () => {
    expect(() => renderChunks(notes, 1, 5)).toThrow(RangeError);
  });
});

describe('front matter is YAML-safe (property)', () => {
  const nasty = fc.constantFrom(
    ': ',
    '- ',
    '#',
    ' #',
    '"',
    "'",
    '---',
    '...',
    'null',
    'yes',
    'No',
    'on',
    '~',
    '@here',
    '`',
    ' ',
    '\n',
    '\t',
    '\\',
    '{',
    '}',
    '[',
    ']',
    ',',
    '&a',
    '*a',
    '!tag',
    '%',
    '|',
    '>',
    '?',
    '0x1F',
    '1e3',
    '12:30',
    'Ștefan',
    '名前',
    'مرحبا',
    '😀',
    '\u0085',
    '\u2028',
    '\u00A0',
    '\uFEFF',
    '\u0000',
  );
  const value = fc.array(fc.oneof(nasty, fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

  it('names, teams and location read back as exactly the same strings, and the body stays intact', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 5 }), fc.array(value, { maxLength: 5 }), value, (teams, participants, location) => {
        const notes: Notes = {
          datetime: '2022-03-19T09:00:00+01:00',
          location,
          teams,
          participants,
          blocks: [{ names: ['Body'], bullets: [b('still here')], references: [] }],
        };
        const out = render(notes);
        const [, frontMatter, ...rest] = out.split(/^---$/m);
        expect(rest.join('---')).toBe('\n\n## Summary of Activities\n\nBody\n* still here\n');
        for (const version of ['1.1', '1.2'] as const) {
          const data = parseYaml(frontMatter ?? '', { version }) as Record<string, unknown>;
          expect(data['location']).toBe(location);
          expect(data['teams']).toEqual(teams);
          expect(data['participants']).toEqual(participants);
        }
        const parsed = parseNotes(out);
        expect([parsed.location, parsed.teams, parsed.participants]).toEqual([location, teams, participants]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('yamlScalar fast path', () => {
  it('agrees with the yaml round trip (1.1 and 1.2) on name-like strings', async () => {
    const { yamlScalar } = await import('../../src/notes/yaml-scalar.ts');
    const { stringify } = await import('yaml');
    const unit = fc.constantFrom('a', 'Y', 'e', 'E', 's', 'n', 'o', 'f', 'N', 'u', 'l', 't', 'r', '.', '-', '_', '+', '1', '0', 'x', 'Ș', '名', '\u0301');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 6 }), (s) => {
        const plain = stringify(s, { lineWidth: 0 }) === `${s}\n` && stringify(s, { lineWidth: 0, version: '1.1' }) === `${s}\n`;
        expect(yamlScalar(s, true) === s).toBe(plain && !s.includes(','));
      }),
      { numRuns: 3000 },
    );
  });
});
