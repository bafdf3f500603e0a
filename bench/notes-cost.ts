/**
 * The notes of a large meeting (1,000 people × 10 bullets of about 100 characters; every tenth person
 * with a continuation line and two references) and what rendering and parsing them costs. The bench's
 * members type the same bullets into `/update`, so the notes `/summary` compiles there have this shape.
 */
import { parseNotes } from '../src/notes/parse.ts';
import { render } from '../src/notes/render.ts';
import type { Block, Notes } from '../src/notes/types.ts';
import { median } from './stats.ts';

const PEOPLE = 1000;
const BULLETS = 10;

function bulletText(p: number, b: number): string {
  return `worked on item ${b} of the plan, reviewed pull request number ${p * BULLETS + b}${p % 10 === 0 && b < 2 ? `[${b + 1}]` : ''} and left comments`;
}

function references(p: number): { label: string; url: string }[] {
  if (p % 10 !== 0) return [];
  return [
    { label: '1', url: `https://github.com/unikraft/unikraft/pull/${p}` },
    { label: '2', url: `https://github.com/unikraft/unikraft/issues/${p}` },
  ];
}

export function largeMeeting(people = PEOPLE): Notes {
  const blocks: Block[] = Array.from({ length: people }, (_, p) => ({
    names: [`Person${p}Ș`],
    bullets: Array.from({ length: BULLETS }, (_, b) => ({
      text: bulletText(p, b),
      continuation: p % 10 === 0 && b === 0 ? ['and a second line for this bullet'] : [],
    })),
    references: references(p),
  }));
  return {
    datetime: '2022-03-19T09:00:00+01:00',
    location: 'Online, Discord (https://bit.ly/UnikraftDiscord), the `#monkey-business` voice channel',
    teams: ['community'],
    participants: blocks.map((block) => block.names[0] ?? ''),
    blocks,
  };
}

/** What person `p` types into `/update`: block `p` of largeMeeting(), its last bullet ending in `(tag)`. */
export function updateTextOf(p: number, tag: string): string {
  const lines: string[] = [];
  for (let b = 0; b < BULLETS; b += 1) {
    lines.push(`* ${bulletText(p, b)}${b === BULLETS - 1 ? ` (${tag})` : ''}`);
    if (p % 10 === 0 && b === 0) lines.push('  and a second line for this bullet');
  }
  for (const ref of references(p)) lines.push(`[${ref.label}]: ${ref.url}`);
  return lines.join('\n');
}

export interface NotesCost {
  readonly people: number;
  readonly bullets: number;
  readonly runs: number;
  readonly kib: number;
  readonly renderMs: number;
  readonly parseMs: number;
}

/** Median of `runs` timed calls after 3 untimed ones. */
function timeMedian(run: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < 3 + runs; i += 1) {
    const start = performance.now();
    run();
    if (i >= 3) samples.push(performance.now() - start);
  }
  return median(samples);
}

/** Throws if render(parse(render(x))) differs from render(x): what is timed must be right. */
export function measureNotesCost(runs = 25): NotesCost {
  const notes = largeMeeting();
  const text = render(notes);
  if (render(parseNotes(text)) !== text) throw new Error('render(parse(render(x))) differs from render(x)');
  return {
    people: PEOPLE,
    bullets: BULLETS,
    runs,
    kib: Buffer.byteLength(text) / 1024,
    renderMs: timeMedian(() => render(notes), runs),
    parseMs: timeMedian(() => parseNotes(text), runs),
  };
}
