/**
 * The texts Scribe posts in a meeting thread. Discord renders `<t:unix:t>` in each reader's own time
 * zone. Only the reminder names anyone, and only the users it is meant for.
 */

const unix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export type Layout = 'activities' | 'discussion';

export function welcomeText(meeting: { readonly endsAt: string }, layout: Layout = 'activities'): string {
  if (layout === 'discussion') {
    return [
      'Welcome! This thread collects the meeting notes: the agenda, the discussion, the tasks and decisions.',
      '• `/update` adds what you said as a note (a form for long text; `text:` for one line; `topic:` puts it under a topic).',
      '• `/agenda` shows and edits the agenda; maintainers record `/task` and `/decision`.',
      '• `/name set` chooses the name you appear under in the notes; your initials come from it.',
      `The meeting ends <t:${unix(meeting.endsAt)}:t> (<t:${unix(meeting.endsAt)}:R>); maintainers post the notes with \`/summary\`.`,
    ].join('\n');
  }
  return [
    'Welcome! This thread collects the meeting notes.',
    '• `/update` opens a form for your bullets (one a line; indent a line to continue the bullet above; `[1]: https://…` lines define links). Submit it again any time to change them.',
    '• `/update text:` adds one bullet without the form.',
    '• `/name set` chooses the name you appear under in the notes.',
    `The meeting ends <t:${unix(meeting.endsAt)}:t> (<t:${unix(meeting.endsAt)}:R>); maintainers post the notes with \`/summary\`.`,
  ].join('\n');
}

export function reminderText(meeting: { readonly endsAt: string }, userIds: readonly string[], layout: Layout = 'activities'): string {
  const mentions = userIds.map((id) => `<@${id}>`).join(' ');
  if (layout === 'discussion') return `${mentions} the meeting ends <t:${unix(meeting.endsAt)}:R>: add what you said with \`/update\` so it is in the notes.`;
  return `${mentions} the meeting ends <t:${unix(meeting.endsAt)}:R>: please give your update with \`/update\` so it is in the notes.`;
}
