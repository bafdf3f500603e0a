/** The notes format: bullets from user text, render, parse, check, datetimes. Pure: no I/O, no Discord. */
export type { Block, BlockLines, Bullet, Notes, NotesLines, NotesTemplate, NotesWarning, ParsedNotes, Reference, Update } from './types.ts';
export { NotesInputError, type NotesInputErrorCode } from './errors.ts';
export { MAX_UPDATE_BULLETS, MAX_UPDATE_CHARS, cleanText, formatUpdate, parseUpdate } from './bullets.ts';
export { SUMMARY_HEADING, labelStarts, render, renderBlock, renderChunks, renderFrontMatter } from './render.ts';
export { renumberBlocks } from './references.ts';
export { assertTimeZone, datetimeOf, instantOf, isTimeZone, zonedDatetime, zonedParts } from './datetime.ts';
export { parseNotes } from './parse.ts';
export { checkNotes, checkParsed, type CheckOptions, type Finding } from './check.ts';
export { fileDateOf } from './check-common.ts';
export { notesLayout, type NotesLayout } from './layout.ts';
export { SECTIONS, type SectionKey } from './headings.ts';
// The discussion layout (Agenda / Discussions / TODOs and Decisions).
export type { DiscussionBlock, DiscussionBlockLines, DiscussionLines, DiscussionNotes, ListItem, ParsedDiscussion } from './discussion/types.ts';
export { renderDiscussion, renderDiscussionBlock, renderDiscussionChunks, renderDiscussionFrontMatter } from './discussion/render.ts';
export { parseDiscussion, parseDiscussionBlocks } from './discussion/parse.ts';
export { turnOf } from './discussion/line-kinds.ts';
export { checkDiscussion, checkDiscussionParsed } from './discussion/check.ts';
export { discussionTitle, titleParts } from './discussion/title.ts';
