/**
 * The seed meeting (`hackathon-2022-03-19.md`) as the people in it would type it: each block's header
 * is a person's notes name and its lines are what they type into the /update modal. A continuation
 * line is typed indented (that is how a person says "this continues the bullet above" in a text box).
 */
import type { Harness } from './harness.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { partsCarried } from '../notes/chunk-parts.ts';

export const EXAMPLES_DIR = resolve(import.meta.dirname, '../../../shared/notes-examples');

export function readExample(name: string): string {
  return readFileSync(resolve(EXAMPLES_DIR, name), 'utf8');
}

export interface SeedPerson {
  readonly name: string;
  /** What the person types into the modal. */
  readonly typed: string;
}

/** Blocks of the seed in order, each as typed. */
export function seedPeople(seed: string): SeedPerson[] {
  const body = seed.split('## Summary of Activities\n\n')[1];
  if (body === undefined) throw new Error('seed has no summary heading');
  return body
    .trimEnd()
    .split('\n\n')
    .reduce<{ name: string; lines: string[] }[]>((blocks, chunk) => {
      const lines = chunk.split('\n');
      // Reference definitions are a chunk of their own in the file; they belong to the block above.
      if (lines.every((l) => /^\[\d+\]: /.test(l))) {
        blocks.at(-1)?.lines.push('', ...lines);
        return blocks;
      }
      const [name, ...rest] = lines;
      blocks.push({ name: name ?? '', lines: rest });
      return blocks;
    }, [])
    .map(({ name, lines }) => ({
      name,
      typed: lines.map((l) => (l.startsWith('* ') || l.startsWith('[') || l === '' ? l : `  ${l}`)).join('\n'),
    }));
}

/** The seed with exactly the changes a faithful Scribe run makes to it (the participants Scribe saw, four whitespace fixes). */
export function expectedFromSeed(seed: string, names: readonly string[]): string {
  const lines = seed.split('\n');
  const start = lines.indexOf('participants:') + 1;
  const end = lines.indexOf('---', start);
  lines.splice(start, end - start, ...names.map((n) => `  - ${n}`));
  let text = lines.join('\n');
  const changes: [string, string][] = [
    ['\nClose to identify the problem', '\n  Close to identify the problem'],
    ['\nThe confusing part was', '\n  The confusing part was'],
    ['\nAnd as it seems this allocated irq', '\n  And as it seems this allocated irq'],
    ['(virtio block and network devices over mmio transpot) \n', '(virtio block and network devices over mmio transpot)\n'],
  ];
  for (const [from, to] of changes) {
    if (text.split(from).length !== 2) throw new Error(`the seed should hold exactly one ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

/**
 * Each notes message checked against what Discord stores and the part of the file it carries: the
 * messages, in order, are the file with only whitespace between them (see partsCarried), and every
 * message after the first starts a block of `blockStarts` (a person's name line, or a block's first
 * line), with a blank line before it in the file. Returns the parts.
 */
export function expectSplitAtBlocks(file: string, contents: readonly string[], blockStarts: readonly string[]): string[] {
  const parts = partsCarried(file, contents);
  parts.forEach((part, i) => {
    if (contents[i] !== part.trim()) throw new Error(`message ${i + 1} is not its part of the file, trimmed`);
    if (i === 0) return;
    const firstLine = part.split('\n')[0] ?? '';
    if (!blockStarts.includes(firstLine)) throw new Error(`message ${i + 1} starts inside a block: ${JSON.stringify(firstLine)}`);
    if (!(parts[i - 1] ?? '').endsWith('\n\n')) throw new Error(`message ${i} does not end at a blank line`);
  });
  return parts;
}

/** The seed meeting run on Discord: opened by the schedule, names set, everyone's update given through the form. */
export async function runSeedMeeting(h: Harness): Promise<{ threadId: string; ids: string[]; names: string[] }> {
  const { emu, guild } = h;
  const people = seedPeople(readExample('hackathon-2022-03-19.md'));
  h.clock.set('2022-03-19T08:00:00Z');
  await h.bot.scheduler.task('hackathon')?.execute();
  const [thread] = emu.threads(guild.textChannelId);
  if (!thread) throw new Error('no thread');
  const ids = people.map((p, i) => emu.addMember(guild.guildId, { username: `person${i}`, globalName: `Person ${i}` }));
  for (const [i, person] of people.entries()) {
    const id = ids[i] as string;
    await emu.slash(id, thread.id, 'name set', { name: person.name }).waitForAnswer();
    if (person.name !== 'AndreiM') emu.voiceJoin(id, guild.voiceChannelId);
  }
  h.clock.advance(10 * 60_000);
  for (const [i, person] of people.entries()) {
    const id = ids[i] as string;
    const ack = await emu.slash(id, thread.id, 'update').waitForAck();
    await emu.submitModal(id, thread.id, String(ack.data?.custom_id), { bullets: person.typed }).waitForAnswer();
  }
  return { threadId: thread.id, ids, names: people.map((p) => p.name) };
}
