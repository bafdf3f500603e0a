/**
 * The JSON shape `scribe render` reads for the discussion layout (`"template": "discussion"`), which is
 * what `scribe parse` prints for such a file. Unknown keys are refused, so a misspelt key is not ignored.
 * {
 *   "template": "discussion",
 *   "title": "VMM WG, June 14, 2023",            // optional (the older files have none)
 *   "tags": ["unikraft", "vmm"],                 // optional; written "tags: unikraft, vmm"
 *   "datetime": "2023-06-14T10:00:00+02:00",     // or "date", "time" and "timeZone", as for activities
 *   "location": "Online, ...",
 *   "teams": ["vmm"], "participants": ["AndreiT", "PaulU"],   // optional, default []
 *   "agenda": [BLOCK...], "discussion": [BLOCK...], "todos": [BLOCK...],   // optional, default []
 *   "preamble": [BLOCK...],                      // optional: blocks before the first section
 *   "extra": { "key": "value" }                  // optional extra front-matter keys, written last
 * }
 * BLOCK is one of
 *   { "kind": "turn", "speakers": ["RD", "MP"], "lines": ["first line, after RD/MP: ", "next line"] }
 *   { "kind": "text", "lines": ["A decision, or a paragraph without a speaker."] }
 *   { "kind": "list", "items": ["an item", { "text": "item", "ordered": true, "continuation": ["..."], "items": [...] }] }
 *   { "kind": "code", "lines": ["```sh", "kraft run", "```"] }
 *   { "kind": "heading", "level": 3, "text": "Topic" }
 */
import { z } from 'zod';
import type { DiscussionBlock, DiscussionNotes, ListItem } from '../notes/discussion/types.ts';
import { datetimeOf, line, nonBlankLine, refineStart, startFields } from './json-fields.ts';

type ListItemJson = string | { text: string; ordered?: boolean | undefined; continuation?: string[] | undefined; items?: ListItemJson[] | undefined };

// A blank line inside a block would end it when the file is read back.
const blockLine = () => line().refine((s) => s.trim() !== '', 'must not be blank (a blank line ends the block: give two blocks)');

const listItemSchema: z.ZodType<ListItemJson> = z.lazy(() =>
  z.union([
    line(),
    z.strictObject({
      text: line(),
      ordered: z.boolean().optional(),
      continuation: z.array(blockLine()).optional(),
      items: z.array(listItemSchema).optional(),
    }),
  ]),
);

const speaker = nonBlankLine().refine((s) => /^[^\s/:]+$/.test(s), 'must be initials or one word (no space, "/" or ":")');

const blockSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('turn'), speakers: z.array(speaker).min(1), lines: z.tuple([line()], blockLine()) }),
    z.strictObject({ kind: z.literal('text'), lines: z.array(blockLine()).min(1) }),
    z.strictObject({ kind: z.literal('list'), items: z.array(listItemSchema).min(1) }),
    z.strictObject({ kind: z.literal('code'), lines: z.array(line()).min(1) }),
    z.strictObject({ kind: z.literal('heading'), level: z.number().int().min(2).max(6).default(3), text: nonBlankLine() }),
  ],
  { error: 'must be a block with "kind" one of "turn", "text", "list", "code", "heading"' },
);

export const discussionSchema = z
  .strictObject({
    template: z.literal('discussion'),
    title: line().optional(),
    tags: z.array(nonBlankLine().refine((s) => !s.includes(','), 'must not contain a comma (tags are written comma-separated)')).optional(),
    ...startFields,
    location: line(),
    teams: z.array(line()).default([]),
    participants: z.array(line()).default([]),
    preamble: z.array(blockSchema).optional(),
    agenda: z.array(blockSchema).default([]),
    discussion: z.array(blockSchema).default([]),
    todos: z.array(blockSchema).default([]),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine(refineStart);

type DiscussionJson = z.infer<typeof discussionSchema>;
type BlockJson = z.infer<typeof blockSchema>;

function toItem(item: ListItemJson): ListItem {
  if (typeof item === 'string') return { text: item };
  return {
    text: item.text,
    ...(item.ordered === true ? { ordered: true } : {}),
    ...(item.continuation === undefined ? {} : { continuation: item.continuation }),
    ...(item.items === undefined ? {} : { items: item.items.map(toItem) }),
  };
}

function toBlock(block: BlockJson): DiscussionBlock {
  return block.kind === 'list' ? { kind: 'list', items: block.items.map(toItem) } : block;
}

/** Validated JSON -> DiscussionNotes (throws NotesInputError for an unknown zone or a date that does not exist). */
export function toDiscussionNotes(json: DiscussionJson): DiscussionNotes {
  return {
    ...(json.title === undefined ? {} : { title: json.title }),
    ...(json.tags === undefined ? {} : { tags: json.tags }),
    datetime: datetimeOf(json),
    location: json.location,
    teams: json.teams,
    participants: json.participants,
    ...(json.preamble === undefined ? {} : { preamble: json.preamble.map(toBlock) }),
    agenda: json.agenda.map(toBlock),
    discussion: json.discussion.map(toBlock),
    todos: json.todos.map(toBlock),
    ...(json.extra === undefined ? {} : { extra: json.extra }),
  };
}

/** DiscussionNotes -> the JSON above; a list item with only its text is written as a string. */
export function discussionJson(notes: DiscussionNotes): Record<string, unknown> {
  const item = (entry: ListItem): ListItemJson =>
    entry.ordered !== true && entry.continuation === undefined && entry.items === undefined
      ? entry.text
      : {
          text: entry.text,
          ...(entry.ordered === true ? { ordered: true } : {}),
          ...(entry.continuation === undefined ? {} : { continuation: [...entry.continuation] }),
          ...(entry.items === undefined ? {} : { items: entry.items.map(item) }),
        };
  const blocks = (list: readonly DiscussionBlock[]): unknown[] =>
    list.map((block) => (block.kind === 'list' ? { kind: 'list', items: block.items.map(item) } : block));
  return {
    template: 'discussion',
    ...(notes.title === undefined ? {} : { title: notes.title }),
    ...(notes.tags === undefined ? {} : { tags: notes.tags }),
    datetime: notes.datetime,
    location: notes.location,
    teams: notes.teams,
    participants: notes.participants,
    ...(notes.preamble === undefined ? {} : { preamble: blocks(notes.preamble) }),
    agenda: blocks(notes.agenda),
    discussion: blocks(notes.discussion),
    todos: blocks(notes.todos),
    ...(notes.extra === undefined || Object.keys(notes.extra).length === 0 ? {} : { extra: notes.extra }),
  };
}
