/**
 * `/update text:` adds to what a person already gave. The added part's reference labels may collide
 * with the earlier ones ("[1]" twice); the added labels are renamed to free numbers and its uses
 * rewritten, so each link keeps pointing where its author meant.
 */
import { labelKey, labelUses } from '../notes/references.ts';
import type { Bullet, Update } from '../notes/types.ts';

function rewriteUses(text: string, renames: ReadonlyMap<string, string>): string {
  const uses = labelUses(text).filter((use) => renames.has(use.key));
  let out = text;
  // From the end, so earlier indices stay valid.
  for (const use of uses.reverse()) {
    const replacement = `[${renames.get(use.key) ?? use.label}]`;
    out = out.slice(0, use.index) + replacement + out.slice(use.index + use.label.length + 2);
  }
  return out;
}

export function appendUpdate(existing: Update | undefined, addition: Update): Update {
  if (!existing) return addition;
  const taken = new Set(existing.references.map((r) => labelKey(r.label)));
  for (const bullet of existing.bullets) {
    for (const text of [bullet.text, ...bullet.continuation]) for (const use of labelUses(text)) taken.add(use.key);
  }
  for (const r of addition.references) taken.add(labelKey(r.label));
  const renames = new Map<string, string>();
  let next = 1;
  for (const reference of addition.references) {
    const key = labelKey(reference.label);
    if (!existing.references.some((r) => labelKey(r.label) === key)) continue;
    while (taken.has(String(next))) next++;
    renames.set(key, String(next));
    taken.add(String(next));
  }
  const bullets: Bullet[] = addition.bullets.map((bullet) => ({
    text: rewriteUses(bullet.text, renames),
    continuation: bullet.continuation.map((line) => rewriteUses(line, renames)),
  }));
  const references = addition.references.map((r) => ({ label: renames.get(labelKey(r.label)) ?? r.label, url: r.url }));
  return { bullets: [...existing.bullets, ...bullets], references: [...existing.references, ...references] };
}
