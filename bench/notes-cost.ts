/**
 * The notes of a large meeting and the cost of rendering and parsing them, shared by `npm run bench`
 * (scripts/bench.ts) and meant to replace the copy in scripts/bench-notes.ts. The same bullet text is
 * what the benchmark's simulated members type into `/update`, so the notes `/summary` renders there have
 * the same shape as the ones timed here.
 */
import { parseNotes } from '../../src/notes/parse.ts';
import { render, renderChunks } from '../../src/notes/render.ts';
import type { Block, Notes } from '../../src/notes/types.ts';
import { timeMedian } from './stats.ts';

export const PEOPLE = 1000;
export const BULLETS = 10;

/** Bullet `b` of person `p`: about 100 characters; every tenth person cites references [1] and [2]. */
export function bulletText(p: number, b: number, withLinks = p % 10 === 0): string {
  return `worked on item ${b} of the plan, reviewed pull request number ${p * BULLETS + b}${withLinks && b < 2 ? `[${b + 1}]` : ''} and left comments`;
}

/** 1,000 people × 10 bullets (each ~100 characters, every tenth person with a continuation line and two references). */
export function largeMeeting(people = PEOPLE, bullets = BULLETS): Notes {
  const blocks: Block[] = [];
  for (let p = 0; p < people; p += 1) {
    const withLinks = p % 10 === 0;
    blocks.push({
      names: [`Person${p}Ș`],
      bullets: Array.from({ length: bullets }, (_, b) => ({
        text: bulletText(p, b, withLinks),
        continuation: withLinks && b === 0 ? ['and a second line for this bullet'] : [],
      })),
      references: withLinks
        ? [
            { label: '1', url: `https://github.com/unikraft/unikraft/pull/${p}` },
            { label: '2', url: `https://github.com/unikraft/unikraft/issues/${p}` },
          ]
        : [],
    });
  }
  return {
    datetime: '2022-03-19T09:00:00+01:00',
    location: 'Online, Discord (https://bit.ly/UnikraftDiscord), the `#monkey-business` voice channel',
    teams: ['community'],
    participants: blocks.map((block) => block.names[0] ?? ''),
    blocks,
  };
}

export interface NotesCost {
  readonly people: number;
  readonly bullets: number;
  readonly runs: number;
  /** Length of the rendered file in UTF-16 code units. */
  readonly chars: number;
  /** First render, which also fills the front-matter quoting cache. */
  readonly coldRenderMs: number;
  readonly renderMs: number;
  readonly parseMs: number;
  /** renderChunks(notes, 2000): the messages /summary posts. */
  readonly chunksMs: number;
}

/** Median render/parse/chunk times; throws if render(parse(render(x))) differs from render(x). */
export function measureNotesCost(opts: { people?: number; bullets?: number; runs?: number } = {}): NotesCost {
  const people = opts.people ?? PEOPLE;
  const bullets = opts.bullets ?? BULLETS;
  const runs = opts.runs ?? 25;
  const notes = largeMeeting(people, bullets);
  const coldStart = performance.now();
  const text = render(notes);
  const coldRenderMs = performance.now() - coldStart;
  if (render(parseNotes(text)) !== text) throw new Error('bench: render(parse(render(x))) differs from render(x)');
  return {
    people,
    bullets,
    runs,
    chars: text.length,
    coldRenderMs,
    renderMs: timeMedian(() => render(notes), runs),
    parseMs: timeMedian(() => parseNotes(text), runs),
    chunksMs: timeMedian(() => renderChunks(notes, 2000), runs),
  };
}

/**
 * What person `p` types into `/update` so that their block matches block `p` of largeMeeting(); `tag`
 * (e.g. a run id) ends the last bullet, so a check of the store can tell this run's text from older ones.
 */
export function updateTextOf(p: number, tag: string, bullets = BULLETS): string {
  const withLinks = p % 10 === 0;
  const lines: string[] = [];
  for (let b = 0; b < bullets; b += 1) {
    lines.push(`* ${bulletText(p, b, withLinks)}${b === bullets - 1 && tag !== '' ? ` (${tag})` : ''}`);
    if (withLinks && b === 0) lines.push('  and a second line for this bullet');
  }
  if (withLinks) {
    lines.push(`[1]: https://github.com/unikraft/unikraft/pull/${p}`);
    lines.push(`[2]: https://github.com/unikraft/unikraft/issues/${p}`);
  }
  return lines.join('\n');
}
