import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { run as check } from '../../src/cli/check.ts';
import { run as renderCli } from '../../src/cli/render.ts';
import { parseNotes } from '../../src/notes/parse.ts';
import { captureStdio, tempFiles } from './cli-capture.ts';
import { examplePath } from './fixtures.ts';

const io = captureStdio();
const { dir, file } = tempFiles('scribe-notes-cli-');

describe('scribe check', () => {
  it('prints path:line: message and exits 1 on findings', async () => {
    const path = examplePath('2022-04-09');
    expect(await check(['--tz', 'Europe/Berlin', path])).toBe(1);
    const lines = io.out.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe(`${path}:2: UTC offset +01:00 is wrong for Europe/Berlin on 2022-04-09 (it is +02:00): write 2022-04-09T09:00:00+02:00`);
    expect(lines[2]).toBe(`${path}:26: header "Sergiu:" ends with a colon; the format writes "Sergiu"`);
  });

  it('exits 0 and prints nothing for a clean file; takes --tz=ZONE', async () => {
    // -01-15 is canonical; its only findings are the RazvanD/RăzvanD spellings.
    const clean = file('clean.md', readFileSync(examplePath('2022-01-15'), 'utf8').replace(/Răzvan/g, 'Razvan'));
    expect(await check([`--tz=Europe/Berlin`, clean])).toBe(0);
    expect(io.out).toBe('');
  });

  it('exits 2 for an unreadable file but still checks the others', async () => {
    expect(await check([join(dir, 'missing.md'), examplePath('2022-03-19')])).toBe(2);
    expect(io.err).toContain('cannot read');
    expect(io.out).toContain('hackathon-2022-03-19.md:64: block "AndreiM" is not among the participants');
  });

  it('exits 2 on bad usage and an unknown zone', async () => {
    expect(await check([])).toBe(2);
    expect(await check(['--tz'])).toBe(2);
    expect(await check(['--tz', 'Nowhere/City', examplePath('2022-03-19')])).toBe(2);
    expect(io.err).toContain('"Nowhere/City" is not a time zone');
  });
});

describe('scribe render', () => {
  it('renders a meeting from JSON, computing the offset from date, time and zone', async () => {
    const path = file(
      'meeting.json',
      JSON.stringify({
        date: '2022-04-09',
        time: '09:00',
        timeZone: 'Europe/Berlin',
        location: 'Online',
        teams: ['community'],
        blocks: [
          { name: 'ȘtefanJ', update: '- reviewed pr[1]\n  and more\n[1]: https://example.org/1' },
          { names: ['RăzvanD', 'Teo'], bullets: ['see [1]', { text: 'x', continuation: ['y'] }], references: [{ label: '1', url: 'https://example.org/2' }] },
        ],
      }),
    );
    expect(await renderCli([path])).toBe(0);
    expect(io.out).toBe(
      '---\ndatetime: 2022-04-09T09:00:00+02:00\nlocation: Online\nteams:\n  - community\nparticipants:\n  - ȘtefanJ\n  - RăzvanD\n  - Teo\n---\n\n## Summary of Activities\n\n' +
        'ȘtefanJ\n* reviewed pr[1]\n  and more\n\n[1]: https://example.org/1\n\nRăzvanD / Teo\n* see [2]\n* x\n  y\n\n[2]: https://example.org/2\n',
    );
    expect(parseNotes(io.out).warnings).toEqual([]);
  });

  it('names the failing field of a bad file and exits 2', async () => {
    const path = file('bad.json', JSON.stringify({ datetime: '2022-04-09 09:00', location: 'x', blocks: [{ names: ['A'], bullets: [{ txt: 'x' }] }] }));
    expect(await renderCli([path])).toBe(2);
    expect(io.err).toContain('datetime: must look like 2022-03-19T09:00:00+01:00');
    expect(io.err).toContain('blocks[0].bullets[0]');
    expect(io.out).toBe('');
  });

  it('reports an unknown zone, an /update text that is refused, invalid JSON, and a missing file', async () => {
    const zone = file('zone.json', JSON.stringify({ date: '2022-04-09', time: '09:00', timeZone: 'Mars/Base', location: 'x' }));
    expect(await renderCli([zone])).toBe(2);
    expect(io.err).toContain('timeZone: "Mars/Base" is not a time zone');
    const empty = file('empty.json', JSON.stringify({ datetime: '2022-04-09T09:00:00+02:00', location: 'x', blocks: [{ name: 'A', update: '\n\n' }] }));
    expect(await renderCli([empty])).toBe(2);
    expect(io.err).toContain('blocks[0].update: Your update has no bullet');
    expect(await renderCli([file('x.json', '{')])).toBe(2);
    expect(io.err).toContain('is not valid JSON');
    expect(await renderCli([join(dir, 'none.json')])).toBe(2);
    expect(await renderCli([])).toBe(2);
  });
});

describe('bin/scribe.mjs as a child process', () => {
  it('check exits 1 and prints the findings of the seed', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const seed = examplePath('2022-03-19');
    const result = await promisify(execFile)(process.execPath, [join(root, 'bin/scribe.mjs'), 'check', '--tz', 'Europe/Berlin', seed], { cwd: root }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((l) => l !== '')).toHaveLength(8);
    expect(result.stdout).toContain(`${seed}:44: trailing whitespace\n`);
  });
});
