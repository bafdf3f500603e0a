/**
 * Speaker initials for the discussion layout, from notes names: the capitals of the name's parts,
 * folded to ASCII (`ȘtefanJ` → `SJ`, `Razvan D` → `RD`). Pure.
 */

/** Letters that Unicode does not decompose into an ASCII letter and a mark. */
const FOLD: Readonly<Record<string, string>> = {
  ß: 'ss',
  Ł: 'L',
  ł: 'l',
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  Æ: 'Ae',
  æ: 'ae',
  Œ: 'Oe',
  œ: 'oe',
  Þ: 'Th',
  þ: 'th',
  ı: 'i',
};

/** Used when a name has no letter that folds to ASCII (a name in another script). */
const FALLBACK = 'X';

/** The name's parts, folded to ASCII: words, and the humps of a CamelCase word (`ȘtefanJ` → Stefan, J). */
export function nameParts(name: string): string[] {
  const folded = [...name]
    .map((c) => FOLD[c] ?? c)
    .join('')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, ' ');
  return folded
    .split(' ')
    .flatMap((word) => word.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter((part) => /^[A-Za-z]/.test(part));
}

/** The initials of one name, before telling apart two people who share them. */
export function initialsOf(name: string): string {
  const parts = nameParts(name);
  return parts.length === 0 ? FALLBACK : parts.map((p) => (p[0] ?? '').toUpperCase()).join('');
}

/**
 * Candidates for a name whose initials are taken, one more letter each time: the first part's next
 * letters (`RobertD` → `RoD`, `RobD`, …), then the next part's; then a number.
 */
function* longerInitials(name: string): Generator<string> {
  const parts = nameParts(name);
  const taken = parts.map(() => 1);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    while ((taken[i] ?? 1) < part.length) {
      taken[i] = (taken[i] ?? 1) + 1;
      yield parts.map((p, j) => (p[0] ?? '').toUpperCase() + p.slice(1, taken[j]).toLowerCase()).join('');
    }
  }
  const base = initialsOf(name);
  for (let n = 2; ; n++) yield `${base}${n}`;
}

/**
 * Initials for the people of one meeting, in the order given (the order they first appear in it): no two
 * share initials; the later of two gets one more letter.
 */
export function assignInitials(people: readonly { readonly userId: string; readonly name: string }[]): Map<string, string> {
  const byUser = new Map<string, string>();
  const used = new Set<string>();
  for (const { userId, name } of people) {
    if (byUser.has(userId)) continue;
    let initials = initialsOf(name);
    if (used.has(initials)) {
      for (const candidate of longerInitials(name)) {
        if (!used.has(candidate)) {
          initials = candidate;
          break;
        }
      }
    }
    used.add(initials);
    byUser.set(userId, initials);
  }
  return byUser;
}
