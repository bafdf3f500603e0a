/**
 * Which layout a notes file is in, from its content alone (so `scribe check` and `scribe parse` need no
 * flag): the first heading that names a section of either layout decides; without one, a `title` or
 * `tags` key in the front matter (which only the discussion layout has) does.
 */
import { headingOf, isSectionHeading } from './headings.ts';

export type NotesLayout = 'activities' | 'discussion';

export function notesLayout(text: string): NotesLayout {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let start = 0;
  let frontMatter: string[] = [];
  if (lines[0]?.trimEnd() === '---') {
    const close = lines.findIndex((line, i) => i > 0 && /^(?:---|\.\.\.)\s*$/.test(line));
    if (close > 0) {
      frontMatter = lines.slice(1, close);
      start = close + 1;
    }
  }
  for (const raw of lines.slice(start)) {
    const line = raw.trimEnd();
    const heading = headingOf(line);
    if (!heading) continue;
    if (heading.text.trim().toLowerCase() === 'summary of activities') return 'activities';
    if (isSectionHeading(line)) return 'discussion';
  }
  return frontMatter.some((line) => /^(?:title|tags)\s*:/.test(line)) ? 'discussion' : 'activities';
}
