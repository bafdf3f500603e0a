/** The notes format: bullets from user text, render, parse, check, datetimes. Pure: no I/O, no Discord. */
export type { Block, BlockLines, Bullet, Notes, NotesLines, NotesTemplate, NotesWarning, ParsedNotes, Reference, Update } from './types.ts';
export { NotesInputError, type NotesInputErrorCode } from './errors.ts';
export { MAX_UPDATE_BULLETS, MAX_UPDATE_CHARS, cleanText, formatUpdate, parseUpdate } from './bullets.ts';
export { SUMMARY_HEADING, labelStarts, render, renderBlock, renderChunks, renderFrontMatter } from './render.ts';
export { renumberBlocks } from './references.ts';
export { assertTimeZone, datetimeOf, instantOf, isTimeZone, zonedDatetime, zonedParts } from './datetime.ts';
export { parseNotes } from './parse.ts';
export { checkNotes, checkParsed, type CheckOptions, type Finding } from './check.ts';
