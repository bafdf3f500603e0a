/**
 * `scribe render MEETING.json` prints the notes of a meeting given as JSON (`-` reads standard input), in
 * the layout its `"template"` names: `activities` (the default; shape in activities-json.ts) or
 * `discussion` (shape in discussion-json.ts). `scribe parse` prints a file in that same shape.
 * Exit code: 0 printed, 2 bad usage, unreadable file, invalid JSON or a field that fails validation (the
 * message names the field, e.g. `blocks[1].bullets[0].text` or `discussion[3].lines[0]`).
 */
import type { z } from 'zod';
import { formatPath } from '../field-path.ts';
import { renderDiscussion } from '../notes/discussion/render.ts';
import { NotesInputError } from '../notes/errors.ts';
import { render } from '../notes/render.ts';
import { activitiesSchema, toNotes } from './activities-json.ts';
import { discussionSchema, toDiscussionNotes } from './discussion-json.ts';
import { oneInput } from './input.ts';

const USAGE = 'usage: scribe render MEETING.json   (- reads standard input)\n';

function validate<T extends z.ZodType>(schema: T, json: unknown, file: string): z.infer<T> | undefined {
  // zod's own wording for a missing key names types ("expected string, received undefined"); say it plainly.
  const parsed = schema.safeParse(json, { error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined) });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) process.stderr.write(`scribe render: ${file}: ${formatPath(issue.path)}: ${issue.message}\n`);
  return undefined;
}

/** The file for the JSON, or undefined after the reasons were printed. */
function renderJson(json: unknown, file: string): string | undefined {
  const template = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)['template'] : undefined;
  if (template === 'discussion') {
    const meeting = validate(discussionSchema, json, file);
    return meeting && renderDiscussion(toDiscussionNotes(meeting));
  }
  if (template !== undefined && template !== 'activities') {
    process.stderr.write(`scribe render: ${file}: template: must be "activities" or "discussion"\n`);
    return undefined;
  }
  const meeting = validate(activitiesSchema, json, file);
  return meeting && render(toNotes(meeting));
}

export async function run(args: string[]): Promise<number> {
  const input = await oneInput('render', args, USAGE, 'MEETING.json');
  if (typeof input === 'number') return input;
  const { file, text } = input;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    process.stderr.write(`scribe render: ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let out: string | undefined;
  try {
    out = renderJson(json, file);
  } catch (error) {
    if (!(error instanceof NotesInputError)) throw error;
    const field = error.code === 'unknown-time-zone' ? 'timeZone: ' : error.code === 'invalid-date' ? 'date: ' : error.code === 'invalid-time' ? 'time: ' : '';
    process.stderr.write(`scribe render: ${file}: ${field}${error.message}\n`);
    return 2;
  }
  if (out === undefined) return 2;
  process.stdout.write(out);
  return 0;
}
