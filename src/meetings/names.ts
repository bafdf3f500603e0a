/**
 * The name a person appears under in the notes: the one set with `/name`, else their server nickname,
 * else their display name. Whatever Discord or the person supplies is made safe for a block header
 * and a YAML list item: NFC, one line, no control or invisible formatting characters.
 */
import { UserError } from '../errors.ts';
import type { MemberIdentity } from './records.ts';

export const MAX_NAME_LENGTH = 64;

export type NameSource = 'set' | 'nick' | 'display';

/** One line, NFC, trimmed; control, zero-width and bidirectional marks removed. Empty if nothing is left. */
export function cleanName(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, (run) => (/[\n\r\t\u2028\u2029]/.test(run) ? ' ' : ''))
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * The name as a block header the notes parser reads back as exactly this one name: no leading Markdown
 * syntax (heading, bullet, quote, rule, definition), no ` / ` (which joins two names), no colon right
 * after the first word (a `Name: text` paragraph) or at the end. Empty if nothing is left.
 */
export function headerSafeName(name: string): string {
  let out = name.replace(/\s+\/\s+/g, '/');
  for (let previous = ''; previous !== out;) {
    previous = out;
    out = out
      .replace(/^(?:[#>*+\-\u2022=_~`|[\]]+|\d{1,9}[.)](?=\s|$))\s*/u, '')
      .replace(/^([^\s:]+):(?=\s)/u, '$1')
      .replace(/\s*:+$/u, '')
      .trim();
  }
  return out;
}

export function resolveName(setName: string | undefined, identity: MemberIdentity, userId: string): { name: string; source: NameSource } {
  const candidates: [string | undefined, NameSource][] = [
    [setName, 'set'],
    [identity.nick, 'nick'],
    [identity.displayName, 'display'],
  ];
  for (const [raw, source] of candidates) {
    const name = raw === undefined ? '' : headerSafeName(cleanName(raw));
    if (name !== '') return { name, source };
  }
  // A display name made only of invisible characters: still a unique, stable name.
  return { name: `user-${userId}`, source: 'display' };
}

/** Checks a name given with `/name set`; returns it cleaned or throws a UserError saying what to change. */
export function validateSetName(raw: string): string {
  const cleaned = cleanName(raw);
  if (cleaned === '') throw new UserError('That name is empty once spaces and invisible characters are removed; type the name you want in the notes.');
  const name = headerSafeName(cleaned);
  if (name === '') throw new UserError('That name is only punctuation that would break the layout of the notes; type the name you want in the notes.');
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new UserError(`That name is ${[...name].length} characters long; the limit is ${MAX_NAME_LENGTH}.`);
  }
  return name;
}
