/**
 * The texts Scribe posts in a meeting thread. Discord renders `<t:unix:t>` in each reader's own time
 * zone. Only the reminder names anyone, and only the users it is meant for.
 */

const unix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export function welcomeText(meeting: { readonly endsAt: string }): string {
  return [
    'Welcome! This thread collects the meeting notes.',
    '• `/update` opens a form for your bullets (one a line; indent a line to continue the bullet above; `[1]: https://…` lines define links). Submit it again any time to change them.',
    '• `/update text:` adds one bullet without the form.',
    '• `/name set` chooses the name you appear under in the notes.',
    `The meeting ends <t:${unix(meeting.endsAt)}:t> (<t:${unix(meeting.endsAt)}:R>); maintainers post the notes with \`/summary\`.`,
  ].join('\n');
}

export function reminderText(meeting: { readonly endsAt: string }, userIds: readonly string[]): string {
  const mentions = userIds.map((id) => `<@${id}>`).join(' ');
  return `${mentions} the meeting ends <t:${unix(meeting.endsAt)}:R>: please give your update with \`/update\` so it is in the notes.`;
}
