import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { run as check } from '../../src/cli/check.ts';
import { run as parseCli } from '../../src/cli/parse.ts';
import { run as renderCli } from '../../src/cli/render.ts';
import { checkNotes } from '../../src/notes/check.ts';
import { fileDateOf } from '../../src/notes/check-common.ts';
import { parseDiscussion } from '../../src/notes/discussion/parse.ts';
import { renderDiscussion } from '../../src/notes/discussion/render.ts';
import { parseNotes } from '../../src/notes/parse.ts';
import { render } from '../../src/notes/render.ts';
import { captureStdio, tempFiles } from './cli-capture.ts';
import { CANONICAL_DISCUSSIONS, EXAMPLE_DATES, OTHER_DISCUSSIONS, discussionPath, examplePath } from './fixtures.ts';

const io = captureStdio();
const { dir, file } = tempFiles('scribe-parse-cli-');

/** `scribe parse PATH`, then `scribe render` of what it printed, in process: the file render prints. */
async function parseThenRender(path: string): Promise<string> {
  io.out = '';
  expect(await parseCli([path])).toBe(0);
  const json = file('parsed.json', io.out);
  io.out = '';
  expect(await renderCli([json])).toBe(0);
  return io.out;
}

const ALL_FILES = [...CANONICAL_DISCUSSIONS, ...OTHER_DISCUSSIONS].map(discussionPath).concat(EXAMPLE_DATES.map(examplePath));

describe('scribe parse', () => {
  it('prints a discussion file as the JSON render reads, the datetime as written', async () => {
    expect(await parseCli([discussionPath('kraft-2023-09-06')])).toBe(0);
    const json = JSON.parse(io.out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['template', 'title', 'tags', 'datetime', 'location', 'teams', 'participants', 'agenda', 'discussion', 'todos']);
    expect(json['template']).toBe('discussion');
    expect(json['datetime']).toBe('2023-09-06T13:00:00+02:00');
    expect(json['agenda']).toEqual([{ kind: 'list', items: ['Status update', 'Next steps'] }]);
    expect((json['todos'] as unknown[])[0]).toEqual({ kind: 'turn', speakers: ['AJ'], lines: ['Publish the documentation.'] });
    expect(io.err).toBe('');
  });

  it('prints an activities file in the shape render has always read', async () => {
    expect(await parseCli([examplePath('2022-01-15')])).toBe(0);
    const json = JSON.parse(io.out) as { template: string; blocks: { names: string[] }[] };
    expect(json.template).toBe('activities');
    expect(json.blocks[0]?.names).toEqual(['RăzvanD', 'Teo']);
  });

  it('writes what it tolerated to standard error as FILE:line: message, and still exits 0', async () => {
    const path = discussionPath('community-2023-2023-02-10');
    expect(await parseCli([path])).toBe(0);
    expect(io.err).toBe(
      `${path}:25: section heading without its emoji; the format writes "## :closed_book: Discussions"\n` +
        `${path}:88: section heading without its emoji; the format writes "## :wrench: TODOs and Decisions"\n`,
    );
  });

  it('exits 2 on bad usage and an unreadable file', async () => {
    expect(await parseCli([])).toBe(2);
    expect(await parseCli(['a', 'b'])).toBe(2);
    expect(await parseCli([join(dir, 'missing.md')])).toBe(2);
    expect(io.err).toContain('cannot read');
  });
});

describe('scribe parse | scribe render', () => {
  it.each(ALL_FILES)('%s: gives the canonical form, and the file itself when check finds nothing', async (path) => {
    const text = readFileSync(path, 'utf8');
    const result = await parseThenRender(path);
    const library = path.includes('/discussions/') ? renderDiscussion(parseDiscussion(text)) : render(parseNotes(text));
    expect(result).toBe(library);
    if (checkNotes(text, { fileDate: fileDateOf(path) }).length === 0) expect(result).toBe(text);
  });

  it('the five canonical examples and a canonical hackathon, byte for byte, through bin/scribe.mjs and a pipe', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const files = [...CANONICAL_DISCUSSIONS.map(discussionPath), examplePath('2022-01-15')];
    const script = files
      .map((_, i) => `node bin/scribe.mjs parse "$${i + 1}" 2>/dev/null | node bin/scribe.mjs render - > "${dir}/piped-${i}.md" || exit 1`)
      .join('\n');
    await promisify(execFile)('sh', ['-c', script, 'sh', ...files], { cwd: root });
    files.forEach((path, i) => expect(readFileSync(join(dir, `piped-${i}.md`), 'utf8')).toBe(readFileSync(path, 'utf8')));
    // And from standard input.
    const { stdout } = await promisify(execFile)('sh', ['-c', 'node bin/scribe.mjs parse - < "$1" | node bin/scribe.mjs render -', 'sh', files[0] ?? ''], {
      cwd: root,
    });
    expect(stdout).toBe(readFileSync(files[0] ?? '', 'utf8'));
  });
});

describe('scribe render, discussion layout', () => {
  const base = { template: 'discussion', datetime: '2023-06-14T10:00:00+02:00', location: 'Online' };

  it('renders the JSON shape, with the date, time and zone form of the start', async () => {
    const path = file(
      'd.json',
      JSON.stringify({
        template: 'discussion',
        title: 'VMM WG, June 14, 2023',
        tags: ['unikraft', 'vmm'],
        date: '2023-06-14',
        time: '10:00',
        timeZone: 'Europe/Bucharest',
        location: 'Online',
        participants: ['Ann'],
        agenda: [{ kind: 'list', items: ['one', { text: 'two', ordered: true, items: ['deep'] }] }],
        discussion: [
          { kind: 'heading', level: 3, text: 'Topic' },
          { kind: 'turn', speakers: ['AB', 'CD'], lines: ['Hi.', 'Bye.'] },
        ],
        todos: [{ kind: 'text', lines: ['Decided.'] }],
      }),
    );
    expect(await renderCli([path])).toBe(0);
    expect(io.out).toBe(
      '---\ntitle: "VMM WG, June 14, 2023"\ntags: unikraft, vmm\ndatetime: 2023-06-14T10:00:00+03:00\nlocation: Online\nteams: []\nparticipants:\n- Ann\n---\n\n' +
        '## :dart: Agenda\n\n- one\n1. two\n   - deep\n\n## :closed_book: Discussions\n\n### Topic\n\nAB/CD: Hi.\nBye.\n\n## :wrench: TODOs and Decisions\n\nDecided.\n',
    );
    expect(io.err).toBe('');
  });

  it('refuses unknown keys, unknown kinds and a bad template, naming the field', async () => {
    const bad = file(
      'bad.json',
      JSON.stringify({
        ...base,
        agenda: [{ kind: 'list', items: [{ text: 'x', bullet: '*' }] }],
        discussion: [{ kind: 'turn', speaker: 'AB', lines: ['x'] }, { kind: 'note' }],
        todo: [],
      }),
    );
    expect(await renderCli([bad])).toBe(2);
    expect(io.err).toContain('agenda[0].items[0]');
    expect(io.err).toContain('discussion[0]: Unrecognized key: "speaker"');
    expect(io.err).toContain('discussion[0].speakers: is required');
    expect(io.err).toContain('discussion[1].kind: must be a block with "kind" one of "turn", "text", "list", "code", "heading"');
    expect(io.err).toContain('(top level): Unrecognized key: "todo"');
    expect(io.out).toBe('');
    expect(await renderCli([file('t.json', JSON.stringify({ ...base, template: 'minutes' }))])).toBe(2);
    expect(io.err).toContain('template: must be "activities" or "discussion"');
  });

  it('refuses a blank line inside a block, a speaker with a space, a tag with a comma, a malformed datetime', async () => {
    const path = file(
      'lines.json',
      JSON.stringify({
        ...base,
        datetime: '2023-05-010',
        tags: ['a, b'],
        discussion: [
          { kind: 'turn', speakers: ['A B'], lines: ['x', ''] },
          { kind: 'text', lines: ['x\ny'] },
        ],
      }),
    );
    expect(await renderCli([path])).toBe(2);
    expect(io.err).toContain('datetime: must look like 2022-03-19T09:00:00+01:00');
    expect(io.err).toContain('tags[0]: must not contain a comma');
    expect(io.err).toContain('discussion[0].speakers[0]: must be initials or one word');
    expect(io.err).toContain('discussion[0].lines[1]: must not be blank');
    expect(io.err).toContain('discussion[1].lines[0]: must be a single line');
  });
});

describe('scribe check on a discussion file (no flag needed)', () => {
  it('exits 0 for a canonical example and 1 with path:line: message otherwise', async () => {
    expect(await check([discussionPath('vmm-2023-06-14')])).toBe(0);
    expect(io.out).toBe('');
    const path = discussionPath('app-compat-2022-10-04');
    expect(await check([path])).toBe(1);
    expect(io.out).toBe(`${path}:37: trailing whitespace\n${path}:49: trailing whitespace\n`);
  });

  it('compares the datetime with the date in the file name', async () => {
    const copied = file('2023-06-21.md', readFileSync(discussionPath('vmm-2023-06-14'), 'utf8'));
    expect(await check([copied])).toBe(1);
    expect(io.out).toBe(`${copied}:4: datetime is on 2023-06-14 but the file is named for 2023-06-21 (front matter copied from another meeting?)\n`);
  });
});
