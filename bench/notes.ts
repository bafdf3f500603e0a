/** `npm run bench:notes`: the median time to render and to parse the notes of 1,000 people × 10 bullets. */
import { measureNotesCost } from './notes-cost.ts';

const cost = measureNotesCost();
process.stdout.write(
  `notes: ${cost.people} people × ${cost.bullets} bullets, ${cost.kib.toFixed(0)} KiB, median of ${cost.runs} runs\n` +
    `  render  ${cost.renderMs.toFixed(2)} ms\n` +
    `  parse   ${cost.parseMs.toFixed(2)} ms\n`,
);
