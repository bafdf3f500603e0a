/**
 * The seed meeting through the core: twelve people set their names, eleven join voice, each gives the
 * seed's bullets in the seed's block order, the summary is compiled. The file must equal the seed
 * except for the participants list, the three continuation lines and one trailing space.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { formatUpdate, parseUpdate } from '../../src/notes/bullets.ts';
import { parseNotes } from '../../src/notes/parse.ts';
import { partsCarried } from '../notes/chunk-parts.ts';
import { member, subject, world, type World } from './helpers.ts';

const seedUrl = new URL('../../../shared/notes-examples/hackathon-2022-03-19.md', import.meta.url);
const seed = readFileSync(seedUrl, 'utf8');

let w: World;
afterEach(async () => {
  await w?.close();
});

function expectedFile(blockNames: readonly string[]): string {
  const participants = `participants:\n${blockNames.map((n) => `  - ${n}`).join('\n')}\n---\n`;
  let text = seed.replace(/participants:\n(?: {2}- .*\n)+---\n/, participants);
  for (const start of ['Close to identify', 'The confusing part', 'And as it seems']) {
    const before = text;
    text = text.replace(new RegExp(`\\n${start}`), `\n  ${start}`);
    expect(text, `continuation line "${start}"`).not.toBe(before);
  }
  const trailing = 'transpot) \n';
  expect(text).toContain(trailing);
  return text.replace(trailing, 'transpot)\n');
}

it('the seed meeting compiles to the seed, corrected', async () => {
  w = await world({ start: '2022-03-19T08:00:00Z' });
  const parsed = parseNotes(seed);
  const names = parsed.blocks.map((b) => b.names.join(' / '));
  expect(names).toHaveLength(12);
  const people = names.map((name, i) => ({ name, id: String(1000 + i) }));

  for (const p of people) await w.service.setName(w.series.guild, p.id, p.name);
  await w.service.openMeeting(w.series, '2022-03-19');
  // Eleven of the twelve join voice; the last one only gives an update.
  for (const p of people.slice(0, 11)) {
    w.clock.advance(10_000);
    await w.service.voiceJoin('hackathon/2022-03-19', member(p.id, `display-${p.id}`));
  }
  for (const [i, block] of parsed.blocks.entries()) {
    const p = people[i];
    if (!p) throw new Error(`no person for block ${i}`);
    w.clock.advance(60_000);
    const text = formatUpdate({ bullets: block.bullets, references: block.references });
    await w.service.recordUpdate('hackathon/2022-03-19', { subject: subject(p.id, `display-${p.id}`), update: parseUpdate(text), authorId: p.id });
  }
  w.clock.set('2022-03-19T10:00:00Z');
  const summary = await w.service.postSummary('hackathon/2022-03-19');
  const file = w.port.messages.at(-1)?.files?.[0];
  expect(file?.name).toBe('2022-03-19.md');
  expect(file?.content).toBe(expectedFile(names));
  const posted = w.port.messages.slice(1);
  expect(posted.every((m) => m.content.length <= 2000)).toBe(true);
  // Each message is its part of the file trimmed (as Discord stores it), split between people.
  const parts = partsCarried(
    summary.compiled.text,
    posted.map((m) => m.content),
  );
  expect(parts.length).toBeLessThanOrEqual(5);
  for (const part of parts.slice(1)) expect(names.some((name) => part.startsWith(`${name}\n`))).toBe(true);
});
