/**
 * `npm run bench:notes`: median time to render and to parse the notes of 1,000 people x 10 bullets
 * (each bullet ~100 characters, every tenth person with a continuation line and two references).
 * Target: render under 50 ms on the 2-core machine.
 */
import { parseNotes } from '../src/notes/parse.ts';
import { render, renderChunks } from '../src/notes/render.ts';
import type { Block, Notes } from '../src/notes/types.ts';

const PEOPLE = 1000;
const BULLETS = 10;
const RUNS = 25;

function meeting(): Notes {
  const blocks: Block[] = [];
  for (let p = 0; p < PEOPLE; p += 1) {
    const withLinks = p % 10 === 0;
    blocks.push({
      names: [`Person${p}Ș`],
      bullets: Array.from({ length: BULLETS }, (_, b) => ({
        text: `worked on item ${b} of the plan, reviewed pull request number ${p * BULLETS + b}${withLinks && b < 2 ? `[${b + 1}]` : ''} and left comments`,
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function time(run: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS + 3; i += 1) {
    const start = performance.now();
    run();
    if (i >= 3) samples.push(performance.now() - start);
  }
  return median(samples);
}

const notes = meeting();
// The first render also fills the front-matter quoting cache with 1,000 new names.
const coldStart = performance.now();
const text = render(notes);
const coldMs = performance.now() - coldStart;
if (render(parseNotes(text)) !== text) throw new Error('bench: render(parse(render(x))) differs from render(x)');

const renderMs = time(() => render(notes));
const parseMs = time(() => parseNotes(text));
const chunksMs = time(() => renderChunks(notes, 2000));
process.stdout.write(
  `notes bench: ${PEOPLE} people x ${BULLETS} bullets, ${(text.length / 1024).toFixed(0)} KiB, median of ${RUNS} runs\n` +
    `  render        ${renderMs.toFixed(2)} ms (target < 50 ms; first render, cold: ${coldMs.toFixed(2)} ms)\n` +
    `  parse         ${parseMs.toFixed(2)} ms\n` +
    `  renderChunks  ${chunksMs.toFixed(2)} ms (2,000-character chunks)\n`,
);
