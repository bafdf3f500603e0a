/**
 * `scribe render MEETING.json` prints the notes of a meeting given as JSON (`-` reads standard input).
 * Exit code: 0 printed, 2 bad usage, unreadable file, invalid JSON or a field that fails validation (the
 * message names the field, e.g. `blocks[1].bullets[0].text`).
 *
 * The JSON shape (unknown keys are refused, so a misspelt key is not silently ignored):
 * {
 *   // the start: either datetime as written in the notes ...
 *   "datetime": "2022-03-19T09:00:00+01:00",
 *   // ... or the local date and time in the series' IANA zone (the offset is computed for that day)
 *   "date": "2022-03-19", "time": "09:00", "timeZone": "Europe/Berlin",
 *   "location": "Online, Discord (...)",
 *   "teams": ["community"],                      // optional, default []
 *   "participants": ["RazvanD", "ȘtefanJ"],      // optional, default: the block names in block order
 *   "blocks": [                                  // optional, default []; in the order they are written
 *     {
 *       "names": ["ȘtefanJ"],                    // or "name": "ȘtefanJ"; several names make "A / B"
 *       // either bullets (strings, or objects with continuation lines) and references ...
 *       "bullets": ["I reviewed this pr[1]", { "text": "first line", "continuation": ["second line"] }],
 *       "references": [{ "label": "1", "url": "https://github.com/unikraft/unikraft/pull/394" }],
 *       // ... or the text a person typed into /update, read by the same rules as /update
 *       "update": "* I reviewed this pr[1]\n[1]: https://github.com/unikraft/unikraft/pull/394"
 *     }
 *   ],
 *   "extra": { "key": "value" }                  // optional extra front-matter keys, written last
 * }
 * Reference labels are renumbered across the file on output, as in every rendered file.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatPath } from '../field-path.ts';
import { parseUpdate } from '../notes/bullets.ts';
import { zonedDatetime } from '../notes/datetime.ts';
import { NotesInputError } from '../notes/errors.ts';
import { render } from '../notes/render.ts';
import type { Block, Bullet, Notes } from '../notes/types.ts';

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
/** A string without a line break; `base` may carry checks of its own, run first. */
const line = (base = z.string()) => base.refine((s) => !/[\r\n]/.test(s), 'must be a single line (no newline)');
const nonBlankLine = () => line().refine((s) => s.trim() !== '', 'must not be empty');

const bulletSchema = z.union([line(), z.strictObject({ text: line(), continuation: z.array(line()).default([]) })]);

const blockSchema = z
  .strictObject({
    names: z.array(nonBlankLine()).min(1).optional(),
    name: nonBlankLine().optional(),
    bullets: z.array(bulletSchema).optional(),
    references: z.array(z.strictObject({ label: line(z.string().min(1)), url: line(z.string().regex(/^\S+$/, 'must be a URL without spaces')) })).optional(),
    update: z.string().optional(),
  })
  .superRefine((block, ctx) => {
    if ((block.names === undefined) === (block.name === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['names'], message: 'give exactly one of "names" (a list) or "name"' });
    }
    if (block.update !== undefined && (block.bullets !== undefined || block.references !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['update'], message: 'give either "update" or "bullets"/"references", not both' });
    }
    if (block.update === undefined && block.bullets === undefined) {
      ctx.addIssue({ code: 'custom', path: ['bullets'], message: 'give "bullets" (a list) or "update" (text)' });
    }
  });

const meetingSchema = z
  .strictObject({
    datetime: z.string().regex(DATETIME, 'must look like 2022-03-19T09:00:00+01:00').optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must look like 2022-03-19')
      .optional(),
    time: z
      .string()
      .regex(/^\d{2}:\d{2}(:\d{2})?$/, 'must look like 09:00 or 09:00:00')
      .optional(),
    timeZone: z.string().min(1).optional(),
    location: line(),
    teams: z.array(line()).default([]),
    participants: z.array(line()).optional(),
    blocks: z.array(blockSchema).default([]),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((meeting, ctx) => {
    const local = [meeting.date, meeting.time, meeting.timeZone].filter((v) => v !== undefined).length;
    if (meeting.datetime !== undefined && local > 0) {
      ctx.addIssue({ code: 'custom', path: ['datetime'], message: 'give either "datetime" or "date"/"time"/"timeZone", not both' });
    } else if (meeting.datetime === undefined && local !== 3) {
      const missing = (['date', 'time', 'timeZone'] as const).find((key) => meeting[key] === undefined) ?? 'datetime';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required (or give "datetime")' });
    }
  });

type Meeting = z.infer<typeof meetingSchema>;

function toNotes(meeting: Meeting): Notes {
  const datetime = meeting.datetime ?? zonedDatetime(meeting.date ?? '', meeting.time ?? '', meeting.timeZone ?? '');
  const blocks: Block[] = meeting.blocks.map((block, i) => {
    const names = block.names ?? [block.name ?? ''];
    if (block.update !== undefined) {
      try {
        const update = parseUpdate(block.update);
        return { names, bullets: update.bullets, references: update.references };
      } catch (error) {
        if (error instanceof NotesInputError) throw new NotesInputError(error.code, `blocks[${i}].update: ${error.message}`);
        throw error;
      }
    }
    const bullets: Bullet[] = (block.bullets ?? []).map((b) => (typeof b === 'string' ? { text: b, continuation: [] } : b));
    return { names, bullets, references: block.references ?? [] };
  });
  const participants = meeting.participants ?? [...new Set(blocks.flatMap((block) => block.names))];
  const notes: Notes = { datetime, location: meeting.location, teams: meeting.teams, participants, blocks };
  return meeting.extra === undefined ? notes : { ...notes, extra: meeting.extra };
}

export async function run(args: string[]): Promise<number> {
  const [file, ...rest] = args;
  if (file === '--help' || file === '-h') {
    process.stdout.write('usage: scribe render MEETING.json\n');
    return 0;
  }
  if (file === undefined || rest.length > 0) {
    process.stderr.write('scribe render: give exactly one MEETING.json\nusage: scribe render MEETING.json\n');
    return 2;
  }
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    process.stderr.write(`scribe render: cannot read ${file}: ${reason}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    process.stderr.write(`scribe render: ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  // zod's own wording for a missing key names types ("expected string, received undefined"); say it plainly.
  const parsed = meetingSchema.safeParse(json, { error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`scribe render: ${file}: ${formatPath(issue.path)}: ${issue.message}\n`);
    return 2;
  }
  try {
    process.stdout.write(render(toNotes(parsed.data)));
  } catch (error) {
    if (!(error instanceof NotesInputError)) throw error;
    const field = error.code === 'unknown-time-zone' ? 'timeZone: ' : error.code === 'invalid-date' ? 'date: ' : error.code === 'invalid-time' ? 'time: ' : '';
    process.stderr.write(`scribe render: ${file}: ${field}${error.message}\n`);
    return 2;
  }
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
