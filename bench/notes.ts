/**
 * `npm run bench:notes`: median time to render and to parse the notes of 1,000 people x 10 bullets
 * (each bullet ~100 characters, every tenth person with a continuation line and two references).
 * Target: render under 50 ms on the 2-core machine. The same measurement is part of `npm run bench`.
 */
import { measureNotesCost } from './bench/notes-cost.ts';

const cost = measureNotesCost();
process.stdout.write(
  `notes bench: ${cost.people} people x ${cost.bullets} bullets, ${(cost.chars / 1024).toFixed(0)} KiB, median of ${cost.runs} runs\n` +
    `  render        ${cost.renderMs.toFixed(2)} ms (target < 50 ms; first render, cold: ${cost.coldRenderMs.toFixed(2)} ms)\n` +
    `  parse         ${cost.parseMs.toFixed(2)} ms\n` +
    `  renderChunks  ${cost.chunksMs.toFixed(2)} ms (2,000-character chunks)\n`,
);
