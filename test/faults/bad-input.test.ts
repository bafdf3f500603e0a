/**
 * Hostile and awkward input through the real /update modal, the `text` option and /name set. Each case
 * asserts its exact outcome: a clear ephemeral refusal (and the earlier update kept), or a faithful
 * note. Then the one notes file they all end up in is checked whole: its front matter parses as YAML
 * with the four keys and exactly the expected participants, every block reads back as given, and no
 * message Scribe posted pings anyone. Every input is given once, before the tests, each case by a
 * member of its own; so no test depends on another having run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkNotes, parseNotes } from '../../src/notes/index.ts';
import type { Bullet, Reference } from '../../src/notes/types.ts';
import type { StoredMessage } from '../emulator/index.ts';
import { giveUpdate, run, startMeeting } from '../bot/steps.ts';
import { lastNotesFile, startFaultHarness, type FaultHarness } from './harness.ts';

const KEY = 'hackathon/2022-03-19';
const EMPTY = 'Your update has no bullet. Write at least one line of text, one bullet a line (reference lines such as "[1]: https://…" alone are not enough).';

type Via = 'modal' | 'text';
interface Block {
  bullets: Bullet[];
  references: Reference[];
}

let h: FaultHarness;
let thread: string;

const plain = (...texts: string[]): Bullet[] => texts.map((text) => ({ text, continuation: [] }));

/**
 * A block with each `[label]` replaced by the URL it resolves to in that block: labels are renumbered
 * across the file, so what must survive is which link each bullet points to.
 */
function resolved(block: { bullets: readonly Bullet[]; references: readonly Reference[] }) {
  const urls = new Map(block.references.map((r) => [r.label, r.url]));
  const swap = (line: string) => line.replace(/\[([^\]]+)\]/g, (whole, label: string) => (urls.has(label) ? `[-> ${urls.get(label)}]` : whole));
  return {
    bullets: block.bullets.map((b) => ({ text: swap(b.text), continuation: b.continuation.map(swap) })),
    urls: block.references.map((r) => r.url),
  };
}

async function member(name: string, nick?: string): Promise<string> {
  return h.emu.addMember(h.guild.guildId, { username: name.toLowerCase(), globalName: name, ...(nick === undefined ? {} : { nick }) });
}

async function reply(userId: string, via: Via, input: string) {
  return via === 'modal' ? giveUpdate(h, userId, thread, input) : run(h, userId, thread, 'update', { text: input });
}

async function bulletsOf(userId: string): Promise<string[] | undefined> {
  return (await h.store.updates.get(KEY, userId))?.update.bullets.map((b) => b.text);
}

const fifty = Array.from({ length: 50 }, (_, i) => `* point ${i + 1}`).join('\n');
/** [case, how it is given, the input, the refusal]; each member has given "* the earlier update" first. */
const refused: [string, Via, () => string, string][] = [
  ['whitespace only (form)', 'modal', () => '  \n\t \n   ', EMPTY],
  ['zero-width and bidi marks only (form)', 'modal', () => '\u200B\u200E\u2066\u2069\uFEFF', EMPTY],
  ['reference lines only (form)', 'modal', () => '[1]: https://example.org', EMPTY],
  ['empty text option', 'text', () => '', EMPTY],
  ['whitespace-only text option', 'text', () => '   ', EMPTY],
  [
    '51 bullets (form)',
    'modal',
    () => `${fifty}\n* point 51`,
    'Your update has 51 bullets; the limit is 50. Merge related points into one bullet, or indent follow-up lines to continue the bullet above.',
  ],
  [
    'a label defined twice (form)',
    'modal',
    () => '* fixed[1]\n[1]: https://a.example\n[1]: https://b.example',
    'Reference [1] is defined twice (lines 2 and 3); give each link its own label.',
  ],
  [
    '4,001 characters (text option)',
    'text',
    () => 'x'.repeat(4001),
    'Your update is 4,001 characters long; the limit is 4,000. Shorten it, or put the details behind links.',
  ],
];

const exactly4000 = (() => {
  const lines = Array.from({ length: 40 }, (_, i) => `* ${String(i).padStart(2, '0')}${'z'.repeat(95)}`);
  const text = lines.join('\n');
  return `${text}${'z'.repeat(4000 - text.length)}`;
})();
/** [case, how it is given, the input, its bullets (none: the input's own lines, as typed), its references]. */
const faithful: [string, Via, (ids: { alice: string; role: string }) => string, Bullet[], Reference[]][] = [
  ['exactly 4,000 characters (form)', 'modal', () => exactly4000, exactly4000.split('\n').map((l) => ({ text: l.slice(2), continuation: [] })), []],
  [
    'control characters, zero-width and bidirectional marks (form)',
    'modal',
    () => '* a\u0007b\u200Bc\u200Fd\u202Ee\u2066f\u2069g\uFEFFh\u00ADi\u0000j\n\u202E* reversed?',
    plain('abcdefghij', 'reversed?'),
    [],
  ],
  ['control and bidi characters (text option)', 'text', () => 'ctrl\u001B[31m and \u202Eright-to-left\u202C', plain('ctrl[31m and right-to-left'), []],
  [
    '@everyone, @here, a user and a role mention (form)',
    'modal',
    ({ alice, role }) => `* thanks @everyone and @here\n* ping <@${alice}> and <@&${role}> and <@!${alice}>`,
    [],
    [],
  ],
  ['@everyone and a role (text option)', 'text', ({ role }) => `@everyone look <@&${role}>`, [], []],
  [
    'a line "---" (form)',
    'modal',
    () => '* before\n---\n* after\n  ---',
    [
      { text: 'before', continuation: [] },
      { text: '---', continuation: [] },
      { text: 'after', continuation: ['---'] },
    ],
    [],
  ],
  [
    '"## heading" (form)',
    'modal',
    () => '## heading\n* real bullet\n  # also not a heading',
    [
      { text: '## heading', continuation: [] },
      { text: 'real bullet', continuation: ['# also not a heading'] },
    ],
    [],
  ],
  ['code fences (form)', 'modal', () => '```js\nconst x = 1;\n```', plain('```js', 'const x = 1;', '```'), []],
  ['a code fence (text option)', 'text', () => '``` unclosed fence', plain('``` unclosed fence'), []],
  [
    'URLs with parentheses (form)',
    'modal',
    () => '* see [1] and https://en.wikipedia.org/wiki/Fork_(software)\n[1]: https://en.wikipedia.org/wiki/Set_(mathematics)',
    plain('see [1] and https://en.wikipedia.org/wiki/Fork_(software)'),
    [{ label: '1', url: 'https://en.wikipedia.org/wiki/Set_(mathematics)' }],
  ],
  ['emoji (form)', 'modal', () => '* 🎉 shipped 👩‍💻 🇷🇴 👍🏽 ❤️', plain('🎉 shipped 👩‍💻 🇷🇴 👍🏽 ❤️'), []],
  ['emoji (text option)', 'text', () => '🚀 launched 🧑🏾‍🚀', plain('🚀 launched 🧑🏾‍🚀'), []],
];

/** The block a faithful case must be stored as. Mentions are kept as text: the notes record what was written. */
function faithfulBlock(i: number): Block {
  const [, , input, bullets, references] = faithful[i] ?? ['', 'text', () => '', [], []];
  const typed = input({ alice: h.guild.members.alice, role: h.guild.maintainerRoleId });
  return { bullets: bullets.length > 0 ? bullets : typed.split('\n').map((l) => ({ text: l.replace(/^\* /, ''), continuation: [] })), references };
}

/** [case, the name typed, the refusal]. */
const nameRefusals: [string, string, string][] = [
  ['200 characters', 'n'.repeat(200), 'That name is 200 characters long; the limit is 64.'],
  ['only spaces', '     ', 'That name is empty once spaces and invisible characters are removed; type the name you want in the notes.'],
  ['only layout punctuation', '---', 'That name is only punctuation that would break the layout of the notes; type the name you want in the notes.'],
];
/** [case, the name typed, the name in the notes]. */
const namesAccepted: [string, string, string][] = [
  ['": " after the first word (a "Name: text" paragraph)', 'Dr: Who', 'Dr Who'],
  ['a leading "- "', '- dash', 'dash'],
  ['a leading "#"', '#hash', 'hash'],
  ['a Markdown heading', '## Summary of Activities', 'Summary of Activities'],
  ['a leading "* "', '* star', 'star'],
  ['" / " (which joins two names)', 'Alice / Mallory', 'Alice/Mallory'],
  ['a reference definition', '[1]: https://evil.example', '1] https://evil.example'],
  ['quotes', '"Quoted" O\'Brien', '"Quoted" O\'Brien'],
  ['newlines and a YAML key', 'evil\nparticipants:\n  - Mallory', 'evil participants: - Mallory'],
  ['a YAML word and a comma', 'yes, no', 'yes, no'],
  ['a trailing colon', 'Colon:', 'Colon'],
];
const NICK = '## Mallory: x\n---\nextra: key';

/** What each case did, by case: the member it made and the bot's last answer to it. */
const given = new Map<string, { userId: string; answer: StoredMessage }>();

function givenIn(key: string): { userId: string; answer: StoredMessage } {
  const g = given.get(key);
  if (!g) throw new Error(`case not given: ${key}`);
  return g;
}

beforeAll(async () => {
  h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
  thread = await startMeeting(h);
  const give = async (key: string, userId: string, answer: Promise<StoredMessage>) => given.set(key, { userId, answer: await answer });

  for (const [i, [label, via, input]] of refused.entries()) {
    const userId = await member(`Refused${i}`);
    await giveUpdate(h, userId, thread, '* the earlier update');
    await give(`refused ${label}`, userId, reply(userId, via, input()));
  }
  const fiftyOne = await member('Fifty');
  await giveUpdate(h, fiftyOne, thread, fifty);
  await give('51st', fiftyOne, reply(fiftyOne, 'text', 'one too many'));
  const longest = await member('Longest');
  await giveUpdate(h, longest, thread, `* ${'y'.repeat(3_990)}`);
  await give('past 4,000', longest, reply(longest, 'text', 'and ten more characters'));

  for (const [i, [label, via, input]] of faithful.entries()) {
    const userId = await member(`Faithful${i}`);
    await give(`faithful ${label}`, userId, reply(userId, via, input({ alice: h.guild.members.alice, role: h.guild.maintainerRoleId })));
  }
  const linkerOne = await member('LinkerOne');
  await give('linker one', linkerOne, giveUpdate(h, linkerOne, thread, '* fixed the bug[1]\n[1]: https://a.example/1'));
  const linkerTwo = await member('LinkerTwo');
  await give('linker two', linkerTwo, giveUpdate(h, linkerTwo, thread, '* reviewed it[1]\n[1]: https://b.example/1'));

  for (const [i, [label, typed]] of nameRefusals.entries()) {
    const userId = await member(`Unnamed${i}`);
    await give(`name refused ${label}`, userId, run(h, userId, thread, 'name set', { name: typed }));
  }
  for (const [i, [label, typed]] of namesAccepted.entries()) {
    const userId = await member(`Named${i}`);
    await give(`name ${label}`, userId, run(h, userId, thread, 'name set', { name: typed }));
    await run(h, userId, thread, 'update', { text: 'named' });
  }
  const nicked = await member('Nicked', NICK);
  await give('nick', nicked, run(h, nicked, thread, 'update', { text: 'nicknamed' }));
}, 60_000);
afterAll(async () => {
  await h.close();
});

/** The label LinkerTwo's reference got, as its "Saved" preview showed it. */
const linkerTwoLabel = () => /\* reviewed it\[(\d+)\]/.exec(givenIn('linker two').answer.content)?.[1];

describe('refused, with a reason a person can act on, and nothing changed', () => {
  it.each(refused)('%s', async (label, _via, _input, message) => {
    const { userId, answer } = givenIn(`refused ${label}`);
    expect(answer.content).toBe(message);
    expect(answer.flags & 64).toBe(64);
    expect(await bulletsOf(userId)).toEqual(['the earlier update']);
  });

  it('a 51st bullet through the text option', async () => {
    const { userId, answer } = givenIn('51st');
    expect(answer.content).toBe('That would make 51 bullets; the limit is 50. Run /update without text to edit the whole update.');
    expect(answer.flags & 64).toBe(64);
    expect(await bulletsOf(userId)).toHaveLength(50);
  });

  it('text that would take a whole update past 4,000 characters (the form could no longer hold it)', async () => {
    const { userId, answer } = givenIn('past 4,000');
    // '* ' + 3,990 + newline + '* and ten more characters' = 4,018.
    expect(answer.content).toBe('That would make the update 4,018 characters long; the limit is 4,000. Run /update without text to shorten it.');
    expect(await bulletsOf(userId)).toEqual(['y'.repeat(3_990)]);
  });
});

describe('kept faithfully', () => {
  it.each(faithful)('%s', async (label) => {
    const { userId, answer } = givenIn(`faithful ${label}`);
    expect(answer.content).toMatch(/^Saved\. Your update, as it will appear in the notes:/);
    expect(answer.flags & 64).toBe(64);
    // Nobody is pinged by them: checked on every message below.
    expect((await h.store.updates.get(KEY, userId))?.update).toEqual(faithfulBlock(faithful.findIndex((c) => c[0] === label)));
  });

  it("reference labels that collide with other people's are renumbered; each link still goes to its own URL", () => {
    const shown = givenIn('linker two').answer;
    // The preview already shows the label the file will use.
    const label = linkerTwoLabel();
    expect(label).toBeDefined();
    expect(label).not.toBe('1');
    expect(shown.content).toContain(`[${label}]: https://b.example/1`);
  });
});

describe('names', () => {
  it.each(nameRefusals)('/name set refuses %s', async (label, _typed, message) => {
    const { userId, answer } = givenIn(`name refused ${label}`);
    expect(answer.content).toBe(message);
    expect(answer.flags & 64).toBe(64);
    expect(await h.store.names.get(h.guild.guildId, userId)).toBeUndefined();
  });

  it.each(namesAccepted)('/name set with %s gives one header and one participant', async (label, _typed, expected) => {
    const { userId, answer } = givenIn(`name ${label}`);
    expect(answer.content).toMatch(/^You will appear in the notes as \*\*.+\*\*\. The notes use it from now on/);
    expect((await h.store.names.get(h.guild.guildId, userId))?.name).toBe(expected);
    expect((await h.store.updates.get(KEY, userId))?.name).toBe(expected);
  });

  it('a server nickname made of Markdown and YAML is made safe the same way', async () => {
    expect((await h.store.updates.get(KEY, givenIn('nick').userId))?.name).toBe('Mallory x --- extra: key');
  });
});

describe('the notes file they all end up in', () => {
  it('keeps its structure: YAML front matter with four keys and exactly the expected participants, one block each, no ping', async () => {
    /** Notes name → what their block must read back as. */
    const expectedBlocks = new Map<string, Block>([
      ...refused.map((_, i): [string, Block] => [`Refused${i}`, { bullets: plain('the earlier update'), references: [] }]),
      ['Fifty', { bullets: plain(...Array.from({ length: 50 }, (_, i) => `point ${i + 1}`)), references: [] }],
      ['Longest', { bullets: plain('y'.repeat(3_990)), references: [] }],
      ...faithful.map((_, i): [string, Block] => [`Faithful${i}`, faithfulBlock(i)]),
      ['LinkerOne', { bullets: plain('fixed the bug[1]'), references: [{ label: '1', url: 'https://a.example/1' }] }],
      ['LinkerTwo', { bullets: plain(`reviewed it[${linkerTwoLabel()}]`), references: [{ label: linkerTwoLabel() ?? '', url: 'https://b.example/1' }] }],
      ...namesAccepted.map(([, , name]): [string, Block] => [name, { bullets: plain('named'), references: [] }]),
      ['Mallory x --- extra: key', { bullets: plain('nicknamed'), references: [] }],
    ]);
    const posted = await run(h, h.guild.members.maintainer, thread, 'summary');
    expect(posted.content).toMatch(/^Posted revision 1/);
    const text = lastNotesFile(h, thread);

    expect(text.startsWith('---\n')).toBe(true);
    const end = text.indexOf('\n---\n', 4);
    const front = parseYaml(text.slice(4, end)) as Record<string, unknown>;
    expect(Object.keys(front)).toEqual(['datetime', 'location', 'teams', 'participants']);
    expect([...(front['participants'] as string[])].sort()).toEqual([...expectedBlocks.keys()].sort());

    const parsed = parseNotes(text);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.extra).toEqual({});
    expect(parsed.blocks).toHaveLength(expectedBlocks.size);
    for (const block of parsed.blocks) {
      expect(block.names).toHaveLength(1);
      const expected = expectedBlocks.get(block.names[0] ?? '');
      expect(expected, `block "${block.names[0]}"`).toBeDefined();
      expect(resolved(block)).toEqual(resolved(expected ?? { bullets: [], references: [] }));
    }
    expect(checkNotes(text, { timeZone: 'Europe/Berlin' })).toEqual([]);

    // Nothing Scribe posted, publicly or ephemerally, pings anyone.
    const byBot = [thread, h.guild.textChannelId].flatMap((c) => h.emu.messages(c, { includeEphemeral: true })).filter((m) => m.authorId === h.guild.botUserId);
    expect(byBot.length).toBeGreaterThan(40);
    for (const message of byBot) expect(h.emu.mentionsOf(message)).toMatchObject({ everyone: false, users: [], roles: [] });
    expect(h.emu.violations()).toEqual([]);
  });
});
