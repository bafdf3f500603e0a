/**
 * Reference labels: where a text uses `[label]`, and the renumbering that gives every block its own
 * labels. CommonMark resolves a `[label]` against the first definition of that label in the whole
 * document, so labels that restart per person (as in the hand-written files) link to another person's URL.
 */
import type { Block, Bullet, Reference } from './types.ts';

/** CommonMark's label matching: case-insensitive, inner whitespace collapsed. */
export function labelKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

// `[label]` not followed by `(` (that would be an inline link). Code spans are not excluded.
const USE = /\[([^[\]\n]*[^[\]\s][^[\]\n]*)\](?!\()/g;

export interface LabelUse {
  readonly label: string;
  readonly key: string;
  readonly index: number;
}

export function labelUses(text: string): LabelUse[] {
  if (!text.includes('[')) return [];
  const uses: LabelUse[] = [];
  for (const match of text.matchAll(USE)) {
    const label = match[1] ?? '';
    uses.push({ label, key: labelKey(label), index: match.index });
  }
  return uses;
}

function blockTexts(block: Block): string[] {
  return block.bullets.flatMap((bullet) => [bullet.text, ...bullet.continuation]);
}

/** Keys a block uses without defining them: they stay as written, so no renumbered label may take them. */
export function undefinedKeys(block: Block): Set<string> {
  const defined = new Set(block.references.map((reference) => labelKey(reference.label)));
  const keys = new Set<string>();
  for (const text of blockTexts(block)) {
    for (const use of labelUses(text)) if (!defined.has(use.key)) keys.add(use.key);
  }
  return keys;
}

/** The keys no renumbered label may take in these blocks (see undefinedKeys). */
export function reservedKeys(blocks: readonly Block[]): Set<string> {
  const reserved = new Set<string>();
  for (const block of blocks) {
    if (!block.bullets.some((b) => b.text.includes('[') || b.continuation.some((c) => c.includes('[')))) continue;
    for (const key of undefinedKeys(block)) reserved.add(key);
  }
  return reserved;
}

/**
 * One block with its definitions relabelled `start`, `start + 1`, ... in order of first use in its
 * bullets (unused definitions last, in their order), skipping reserved keys; uses rewritten to match,
 * definitions listed in label order. A label defined twice in the block gives the second definition a
 * number of its own (nothing points at it). Returns the next free number.
 */
export function renumberBlock(block: Block, start: number, reserved: ReadonlySet<string>): { block: Block; next: number } {
  if (block.references.length === 0) return { block, next: start };
  let next = start;
  const take = (): number => {
    while (reserved.has(String(next))) next += 1;
    const n = next;
    next += 1;
    return n;
  };

  const firstDefinition = new Map<string, number>();
  block.references.forEach((reference, i) => {
    const key = labelKey(reference.label);
    if (!firstDefinition.has(key)) firstDefinition.set(key, i);
  });
  const numberOf = new Map<number, number>();
  for (const text of blockTexts(block)) {
    for (const use of labelUses(text)) {
      const definition = firstDefinition.get(use.key);
      if (definition !== undefined && !numberOf.has(definition)) numberOf.set(definition, take());
    }
  }
  block.references.forEach((_, i) => {
    if (!numberOf.has(i)) numberOf.set(i, take());
  });

  const rewrite = (text: string): string =>
    text.includes('[')
      ? text.replace(USE, (whole: string, label: string) => {
          const definition = firstDefinition.get(labelKey(label));
          return definition === undefined ? whole : `[${numberOf.get(definition) ?? label}]`;
        })
      : text;
  const bullets: Bullet[] = block.bullets.map((bullet) => ({
    text: rewrite(bullet.text),
    continuation: bullet.continuation.map(rewrite),
  }));
  const references: Reference[] = block.references
    .map((reference, i) => ({ number: numberOf.get(i) ?? 0, url: reference.url }))
    .sort((a, b) => a.number - b.number)
    .map(({ number, url }) => ({ label: String(number), url }));
  return { block: { names: block.names, bullets, references }, next };
}

/** The next free number after a block whose `count` definitions are numbered from `start` (as renumberBlock does). */
export function skipLabels(count: number, start: number, reserved: ReadonlySet<string>): number {
  let next = start;
  for (let i = 0; i < count; i++) {
    while (reserved.has(String(next))) next += 1;
    next += 1;
  }
  return next;
}

/** All blocks as the file shows them: labels numbered across the whole file from 1. */
export function renumberBlocks(blocks: readonly Block[]): Block[] {
  if (!blocks.some((block) => block.references.length > 0)) return [...blocks];
  const reserved = reservedKeys(blocks);
  let next = 1;
  return blocks.map((block) => {
    const result = renumberBlock(block, next, reserved);
    next = result.next;
    return result.block;
  });
}
