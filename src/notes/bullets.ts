/**
 * Bullets from what a person types into `/update`, and back.
 *
 * Rules, in the order they apply (the table in test/notes/bullets.test.ts shows each one):
 * - CRLF, lone CR, NEL, U+2028 and U+2029 become a newline; a tab becomes a space (so a tab-indented line
 *   still continues the bullet above).
 * - Control characters are removed (newline kept), and so are invisible format characters: zero-width
 *   space/non-joiner, word joiner, BOM, soft hyphen, bidi marks and embeddings. A zero-width joiner is kept
 *   only inside an emoji sequence (between pictographs), where removing it would split the emoji.
 * - The text is put in Unicode NFC; trailing whitespace of each line is trimmed; blank lines are ignored.
 * - `[label]: url` (also `<url>`, and with a list marker in front: `* [1]: url`) is a reference definition.
 * - An indented line continues the bullet above it (its indentation dropped); an indented first line
 *   starts a bullet.
 * - Any other line starts a bullet. A leading marker `*`, `-`, `+`, `•`, `1.` or `1)` followed by
 *   whitespace is dropped (so is a bare `•`), as is the whitespace after it; a line with only a marker
 *   holds no bullet.
 * - Refused with NotesInputError: more than 4,000 characters (code points, counted after newline
 *   normalisation), more than 50 bullets, no bullet at all, a label defined twice.
 */
import { NotesInputError } from './errors.ts';
import type { Bullet, Reference, Update } from './types.ts';

export const MAX_UPDATE_CHARS = 4000;
export const MAX_UPDATE_BULLETS = 50;

const NEWLINES = /\r\n?|\u0085|\u2028|\u2029/g;
// Cc minus newline (tab is turned into a space before this runs).
const CONTROL = /[^\P{Cc}\n]/gu;
const INVISIBLE = /[\u00AD\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const STRAY_ZWJ = /(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
const MARKER = /^(?:(?:[*+-]|\d{1,9}[.)])(?:\s+|$)|•\s*)/u;
const DEFINITION = /^(?:(?:[*+•-]|\d{1,9}[.)])\s*)?\[([^[\]]*[^[\]\s][^[\]]*)\]:\s*<?([^\s<>]+)>?$/u;

/** The cleaned text: newlines, control/invisible characters, NFC. Exported for the `/update text:` path. */
export function cleanText(text: string): string {
  return text.replace(NEWLINES, '\n').replace(/\t/g, ' ').replace(CONTROL, '').replace(INVISIBLE, '').replace(STRAY_ZWJ, '').normalize('NFC');
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Reads `[label]: url` (optionally behind a list marker) from one line without its indentation. */
export function parseDefinition(line: string): Reference | undefined {
  const m = DEFINITION.exec(line);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { label: m[1].trim(), url: m[2] };
}

function labelKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

interface DraftBullet {
  text: string;
  continuation: string[];
}

export function parseUpdate(text: string): Update {
  const unified = text.length > MAX_UPDATE_CHARS * 2 ? text : text.replace(NEWLINES, '\n');
  const length = codePoints(unified);
  if (length > MAX_UPDATE_CHARS) {
    throw new NotesInputError(
      'too-long',
      `Your update is ${length.toLocaleString('en-US')} characters long; the limit is ${MAX_UPDATE_CHARS.toLocaleString('en-US')}. Shorten it, or put the details behind links.`,
    );
  }

  const bullets: DraftBullet[] = [];
  const references: Reference[] = [];
  const definedAt = new Map<string, number>();

  cleanText(unified)
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.replace(/\s+$/u, '');
      if (line === '') return;
      const content = line.replace(/^\s+/u, '');
      const indented = content.length !== line.length;

      const reference = parseDefinition(content);
      if (reference) {
        const key = labelKey(reference.label);
        const first = definedAt.get(key);
        if (first !== undefined) {
          throw new NotesInputError(
            'duplicate-label',
            `Reference [${reference.label}] is defined twice (lines ${first} and ${index + 1}); give each link its own label.`,
          );
        }
        definedAt.set(key, index + 1);
        references.push(reference);
        return;
      }

      const previous = bullets[bullets.length - 1];
      if (indented && previous) {
        previous.continuation.push(content);
        return;
      }
      const body = content.replace(MARKER, '');
      if (body === '') return;
      bullets.push({ text: body, continuation: [] });
    });

  if (bullets.length === 0) {
    throw new NotesInputError(
      'empty',
      'Your update has no bullet. Write at least one line of text, one bullet a line (reference lines such as "[1]: https://…" alone are not enough).',
    );
  }
  if (bullets.length > MAX_UPDATE_BULLETS) {
    throw new NotesInputError(
      'too-many-bullets',
      `Your update has ${bullets.length} bullets; the limit is ${MAX_UPDATE_BULLETS}. Merge related points into one bullet, or indent follow-up lines to continue the bullet above.`,
    );
  }
  return { bullets, references };
}

/** One bullet as text lines: `* ` marker, continuation lines indented two spaces. Shared with render. */
export function bulletLines(bullet: Bullet): string[] {
  return [`* ${bullet.text}`, ...bullet.continuation.map((line) => `  ${line}`)];
}

/**
 * The editable text of an update, to pre-fill the `/update` modal: bullets, then `[n]: url` lines.
 * parseUpdate(formatUpdate(u)) deep-equals u for every u that parseUpdate returns.
 */
export function formatUpdate(update: Update): string {
  const lines = update.bullets.flatMap(bulletLines);
  for (const reference of update.references) lines.push(`[${reference.label}]: ${reference.url}`);
  return lines.join('\n');
}
