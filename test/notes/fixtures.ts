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

/** The ten discussion-layout examples, read in place from `../shared/notes-examples/discussions/`. */
export function discussionPath(name: string): string {
  return `${examplesDir}discussions/${name}.md`;
}

export function discussionExample(name: string): string {
  return readFileSync(discussionPath(name), 'utf8');
}

/** The five that the format document says follow the canonical form exactly. */
export const CANONICAL_DISCUSSIONS = ['security-2024-03-25', 'vmm-2023-06-14', 'kraft-2023-09-06', 'app-compat-procfs-2022-11-29', 'smp-2024-01-10'] as const;

export const OTHER_DISCUSSIONS = [
  'app-compat-2022-03-16',
  'app-compat-2022-07-20',
  'app-compat-2022-10-04',
  'app-compat-app-compat-2023-03-08',
  'community-2023-2023-02-10',
] as const;

/**
 * The edits that turn `a` into `b`, line by line (a longest-common-subsequence diff): `-` a line of `a`
 * (its 1-based number in `a`) removed, `+` a line added before line `line` of `a`.
 */
export function lineEdits(a: string, b: string): { op: '-' | '+'; line: number; text: string }[] {
  const x = a.split('\n');
  const y = b.split('\n');
  // lcs[i * w + j]: the longest common subsequence of x[i..] and y[j..].
  const w = y.length + 1;
  const lcs = new Array<number>((x.length + 1) * w).fill(0);
  const at = (i: number, j: number): number => lcs[i * w + j] ?? 0;
  for (let i = x.length - 1; i >= 0; i -= 1) {
    for (let j = y.length - 1; j >= 0; j -= 1) lcs[i * w + j] = x[i] === y[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  }
  const out: { op: '-' | '+'; line: number; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i += 1;
      j += 1;
    } else if (j < y.length && (i === x.length || at(i, j + 1) >= at(i + 1, j))) {
      out.push({ op: '+', line: i + 1, text: y[j] ?? '' });
      j += 1;
    } else {
      out.push({ op: '-', line: i + 1, text: x[i] ?? '' });
      i += 1;
    }
  }
  return out;
}
