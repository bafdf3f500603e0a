/**
 * What a revision of the notes is posted as: at most 5 messages split between blocks, each its part of
 * the file trimmed, or one short message (counts, then the notes' first lines) when they need more.
 */
import { describe, expect, it } from 'vitest';
import { parseDiscussion, parseNotes, render, renderDiscussion } from '../../src/notes/index.ts';
import { SUMMARY_MAX_MESSAGES, summaryMessages } from '../../src/meetings/summary-messages.ts';
import type { PeopleRoster } from '../../src/meetings/roster.ts';
import { partsCarried } from '../notes/chunk-parts.ts';
import { discussionExample, example } from '../notes/fixtures.ts';

function roster(withUpdate: number, attendees: number): PeopleRoster {
  const people = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: String(i), name: `P${i}` }));
  return {
    withUpdate: people(withUpdate),
    attendees: people(attendees).map((p) => ({ ...p, presenceMs: 0, hasUpdate: false, qualifies: false })),
    participants: [],
  };
}

describe('summaryMessages', () => {
  const notes = parseNotes(example('2022-03-12'));
  const text = render(notes);
  const compiled = { layout: 'activities', notes, text, roster: roster(1, 12), fileName: '2022-03-12.md' } as const;

  it('notes that fit: the file split between people, each message its part trimmed, as few as there can be', () => {
    const { form, messages } = summaryMessages(compiled, 1000);
    expect(form).toBe('split');
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThanOrEqual(SUMMARY_MAX_MESSAGES);
    const parts = partsCarried(text, messages);
    for (const part of parts.slice(1)) expect(notes.blocks.some((block) => part.startsWith(`${block.names.join(' / ')}\n`))).toBe(true);
    expect(summaryMessages(compiled, 100_000).messages).toEqual([text.trim()]);
  });

  it('notes that need more than 5 messages: one short message with the counts and the first lines after the front matter', () => {
    const { form, messages } = summaryMessages(compiled, 300);
    expect(form).toBe('file');
    expect(messages).toHaveLength(1);
    const [message = ''] = messages;
    expect(message.length).toBeLessThanOrEqual(300);
    const intro = '1 person gave an update, 12 people attended. The notes are too long for 5 messages, so they are in 2022-03-12.md, attached; they begin:\n\n';
    expect(message.startsWith(intro)).toBe(true);
    const excerpt = message.slice(intro.length);
    expect(excerpt.startsWith('## Summary of Activities\n\n')).toBe(true);
    expect(text.indexOf(excerpt)).toBe(text.indexOf('## Summary of Activities'));
    expect(text.charAt(text.indexOf(excerpt) + excerpt.length)).toBe('\n');
  });

  it('the discussion layout: split between blocks, or the short message counting notes given', () => {
    const discussion = parseDiscussion(discussionExample('vmm-2023-06-14'));
    const file = renderDiscussion(discussion);
    const base = { layout: 'discussion', notes: discussion, text: file, roster: roster(3, 1), fileName: '2023-06-14.md' } as const;
    const split = summaryMessages(base, 400);
    expect(split.form).toBe('split');
    expect(partsCarried(file, split.messages)).toHaveLength(split.messages.length);
    const short = summaryMessages(base, 100);
    expect(short.form).toBe('file');
    expect(short.messages[0]).toMatch(/^3 people gave notes, 1 person attended\. /);
  });
});
