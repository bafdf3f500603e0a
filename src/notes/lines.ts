/**
 * What both parsers do before reading a layout: collect warnings, and turn a file into clean lines (LF
 * ends, no trailing whitespace, no trailing blank lines), warning about each thing cleaned away.
 */
import type { NotesWarning } from './types.ts';

export class Warnings {
  readonly list: NotesWarning[] = [];
  add(line: number, code: string, message: string): void {
    this.list.push({ line, code, message });
  }
}

/** The file's lines without their line ends; CRLF, trailing whitespace and blank lines at the end removed, each with a warning. */
export function cleanLines(text: string, warnings: Warnings): string[] {
  let body = text;
  if (body.includes('\r')) {
    const line = body.slice(0, body.indexOf('\r')).split('\n').length;
    warnings.add(line, 'line-ending', 'CR or CRLF line ends; the format uses LF');
    body = body.replace(/\r\n?/g, '\n');
  }
  const lines = body.split('\n');
  if (body.endsWith('\n')) {
    lines.pop();
  } else if (body !== '') {
    warnings.add(lines.length, 'final-newline', 'the file does not end with a newline');
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') {
    warnings.add(lines.length, 'trailing-blank-line', 'blank line at the end of the file');
    lines.pop();
  }
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const trimmed = line.trimEnd();
    if (trimmed !== line) {
      warnings.add(i + 1, 'trailing-whitespace', 'trailing whitespace');
      lines[i] = trimmed;
    }
  }
  return lines;
}
