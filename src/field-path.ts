/**
 * Where in a parsed document a problem is, as a person would write it: `series[0].timeZone`, or
 * "(top level)". Shared by the config's messages and `scribe render`'s, which report zod's issue paths.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}
