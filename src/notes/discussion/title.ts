/** The title of a discussion file, `"<Topic>, <Month> <D>, <YYYY>"` (`"VMM WG, June 14, 2023"`), both ways. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const TITLE = new RegExp(`^(.+), (${MONTHS.join('|')}) (\\d{1,2}), (\\d{4})$`);

/** The title for a topic and a `YYYY-MM-DD` date (the date of the meeting's datetime). */
export function discussionTitle(topic: string, date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  const month = MONTHS[Number(m?.[2]) - 1];
  if (!m || month === undefined) throw new RangeError(`discussionTitle: "${date}" is not a YYYY-MM-DD date`);
  return `${topic}, ${month} ${Number(m[3])}, ${m[1]}`;
}

/** The topic and the `YYYY-MM-DD` date a title names, or undefined when it is not in that form. */
export function titleParts(title: string): { topic: string; date: string } | undefined {
  const m = TITLE.exec(title);
  if (!m) return undefined;
  const month = String(MONTHS.indexOf(m[2] ?? '') + 1).padStart(2, '0');
  return { topic: m[1] ?? '', date: `${m[4] ?? ''}-${month}-${(m[3] ?? '').padStart(2, '0')}` };
}
