/** The ten example notes files, read in place from `<repo root>/../shared/notes-examples/`. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const examplesDir = fileURLToPath(new URL('../../../shared/notes-examples/', import.meta.url));

export function examplePath(date: string): string {
  return `${examplesDir}hackathon-${date}.md`;
}

export function example(date: string): string {
  return readFileSync(examplePath(date), 'utf8');
}

export const EXAMPLE_DATES = [
  '2021-12-11',
  '2021-12-18',
  '2022-01-08',
  '2022-01-15',
  '2022-01-22',
  '2022-03-12',
  '2022-03-19',
  '2022-03-26',
  '2022-04-09',
  '2022-04-16',
] as const;

/** Lines of `a` that differ from `b`, as { line (1-based, in a), a, b } — for files of equal line count. */
export function changedLines(a: string, b: string): { line: number; from: string; to: string }[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const out: { line: number; from: string; to: string }[] = [];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) out.push({ line: i + 1, from: x[i] ?? '<none>', to: y[i] ?? '<none>' });
  }
  return out;
}
