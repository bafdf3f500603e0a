/**
 * `scribe check [--tz ZONE] FILE...`: prints `path:line: message` for every finding of checkNotes (either
 * layout, recognised from the content), sorted by line, files in the order given. A file named for its
 * date (`2023-06-14.md`) also has its datetime compared with that date. Exit code: 0 no finding,
 * 1 findings, 2 bad usage, an unknown zone or a file that cannot be read (the other files are still checked).
 */
import { readFile } from 'node:fs/promises';
import { fileDateOf } from '../notes/check-common.ts';
import { checkNotes } from '../notes/check.ts';
import { NotesInputError } from '../notes/errors.ts';
import { assertTimeZone } from '../notes/datetime.ts';

const USAGE = 'usage: scribe check [--tz ZONE] FILE...\n';

function parseArgs(args: string[]): { timeZone?: string; files: string[] } | string {
  const files: string[] = [];
  let timeZone: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--tz') {
      const value = args[i + 1];
      if (value === undefined) return '--tz needs a zone, e.g. --tz Europe/Berlin';
      timeZone = value;
      i += 1;
    } else if (arg.startsWith('--tz=')) {
      timeZone = arg.slice('--tz='.length);
    } else if (arg === '--') {
      files.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) return 'no file given';
  return timeZone === undefined ? { files } : { timeZone, files };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`scribe check: ${parsed}\n${USAGE}`);
    return 2;
  }
  if (parsed.timeZone !== undefined) {
    try {
      assertTimeZone(parsed.timeZone);
    } catch (error) {
      process.stderr.write(`scribe check: ${error instanceof NotesInputError ? error.message : String(error)}\n`);
      return 2;
    }
  }

  let unreadable = false;
  let total = 0;
  for (const file of parsed.files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      process.stderr.write(`scribe check: cannot read ${file}: ${reason}\n`);
      unreadable = true;
      continue;
    }
    const findings = checkNotes(text, { ...(parsed.timeZone === undefined ? {} : { timeZone: parsed.timeZone }), fileDate: fileDateOf(file) });
    total += findings.length;
    let out = '';
    for (const finding of findings) out += `${file}:${finding.line}: ${finding.message}\n`;
    process.stdout.write(out);
  }
  if (unreadable) return 2;
  return total > 0 ? 1 : 0;
}
