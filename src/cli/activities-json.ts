/**
 * The JSON shape `scribe render` reads for the activities layout (the default; `"template": "activities"`
 * may be given), which is what `scribe parse` prints for such a file. Unknown keys are refused, so a
 * misspelt key is not silently ignored.
 * {
 *   "template": "activities",                    // optional
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
import { z } from 'zod';
import { parseUpdate } from '../notes/bullets.ts';
import { NotesInputError } from '../notes/errors.ts';
import type { Block, Bullet, Notes } from '../notes/types.ts';
import { datetimeOf, line, nonBlankLine, refineStart, startFields } from './json-fields.ts';

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

export const activitiesSchema = z
  .strictObject({
    template: z.literal('activities').optional(),
    ...startFields,
    location: line(),
    teams: z.array(line()).default([]),
    participants: z.array(line()).optional(),
    blocks: z.array(blockSchema).default([]),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine(refineStart);

type ActivitiesJson = z.infer<typeof activitiesSchema>;

/** Validated JSON -> Notes (throws NotesInputError for a refused `update`, an unknown zone or a date that does not exist). */
export function toNotes(meeting: ActivitiesJson): Notes {
  const datetime = datetimeOf(meeting);
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

/** Notes -> the JSON above; a bullet without continuation is written as a string. */
export function activitiesJson(notes: Notes): Record<string, unknown> {
  return {
    template: 'activities',
    datetime: notes.datetime,
    location: notes.location,
    teams: notes.teams,
    participants: notes.participants,
    blocks: notes.blocks.map((block) => ({
      names: block.names,
      bullets: block.bullets.map((bullet) => (bullet.continuation.length === 0 ? bullet.text : { text: bullet.text, continuation: bullet.continuation })),
      ...(block.references.length === 0 ? {} : { references: block.references }),
    })),
    ...(notes.extra === undefined || Object.keys(notes.extra).length === 0 ? {} : { extra: notes.extra }),
  };
}
