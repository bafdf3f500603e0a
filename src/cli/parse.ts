/**
 * `scribe parse FILE` prints a notes file of either layout (recognised from its content; `-` reads
 * standard input) as JSON in the shape `scribe render` reads, so `scribe parse F | scribe render -` gives
 * back F when F is in canonical form, and the canonical form of F otherwise. The datetime is printed as
 * written (`scribe check --tz` judges it). What the parser tolerated goes to standard error as
 * `FILE:line: message`, as `scribe check` prints it. Exit code: 0 printed, 2 bad usage or unreadable file.
 */
import { parseDiscussion } from '../notes/discussion/parse.ts';
import { notesLayout } from '../notes/layout.ts';
import { parseNotes } from '../notes/parse.ts';
import type { NotesWarning } from '../notes/types.ts';
import { activitiesJson } from './activities-json.ts';
import { discussionJson } from './discussion-json.ts';
import { oneInput } from './input.ts';

const USAGE = 'usage: scribe parse FILE   (- reads standard input)\n';

export async function run(args: string[]): Promise<number> {
  const input = await oneInput('parse', args, USAGE, 'FILE');
  if (typeof input === 'number') return input;
  const { file, text } = input;
  let json: Record<string, unknown>;
  let warnings: readonly NotesWarning[];
  if (notesLayout(text) === 'discussion') {
    const parsed = parseDiscussion(text);
    json = discussionJson(parsed);
    warnings = parsed.warnings;
  } else {
    const parsed = parseNotes(text);
    json = activitiesJson(parsed);
    warnings = parsed.warnings;
  }
  process.stderr.write(warnings.map((warning) => `${file}:${warning.line}: ${warning.message}\n`).join(''));
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  return 0;
}
