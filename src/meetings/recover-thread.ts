/**
 * A meeting whose thread is deleted or whose permissions are taken away while it runs. The loss is
 * recorded on the meeting (`threadLost`), so a restart knows it; the next step that needs the thread
 * (a command, the reminder, the end, a late /summary) recovers it when it can: the same thread once
 * the permissions are back, or a new thread for the same meeting, with the welcome posted again.
 * Nothing given so far is lost: updates and attendance live in the store, not in the thread.
 */
import { meetingTurn } from './claim.ts';
import { findOwnMessage, requireMeeting, saveMeeting, seriesOf, type MeetingContext } from './context.ts';
import { welcomeText } from './messages.ts';
import { ChannelUnavailableError } from './port-errors.ts';
import type { MeetingKey, MeetingRecord } from './records.ts';

/** What a command can tell its user about the meeting's thread. */
export type ThreadState =
  | { readonly state: 'usable'; readonly threadId: string }
  | { readonly state: 'recovered'; readonly threadId: string }
  | { readonly state: 'lost'; readonly error: ChannelUnavailableError };

/** Records that the thread cannot be used (a no-op for an error about another channel, or when already recorded alike). */
export async function markThreadLost(ctx: MeetingContext, meeting: MeetingRecord, error: ChannelUnavailableError): Promise<MeetingRecord> {
  const aboutThread = error.channelId === meeting.threadId;
  const aboutParent = error.channelId === meeting.parentChannelId && meeting.threadLost !== undefined;
  if (!aboutThread && !aboutParent) return meeting;
  // Creating a new thread failed: the old one is still gone, now for want of a permission in the text channel.
  const problem = aboutParent ? 'gone' : error.problem;
  const lost = meeting.threadLost;
  if (lost?.problem === problem && lost.channelId === error.channelId && lost.missing.join() === error.missing.join()) return meeting;
  ctx.log.warn(
    { meeting: meeting.key, threadId: meeting.threadId, channelId: error.channelId, problem: error.problem, missing: error.missing },
    'meeting thread unusable',
  );
  return saveMeeting(ctx, {
    ...meeting,
    threadLost: { since: lost?.since ?? ctx.clock.now().toISOString(), problem, channelId: error.channelId, missing: error.missing },
  });
}

/**
 * In the meeting's turn: the meeting with a usable thread. A lost thread is taken back when it can be
 * used again, or replaced by a new one (same name and meeting) when it is gone; throws
 * ChannelUnavailableError (recorded) while neither can be done.
 */
export async function recoverThread(ctx: MeetingContext, start: MeetingRecord): Promise<MeetingRecord> {
  let meeting = start;
  const lost = meeting.threadLost;
  const oldThreadId = meeting.threadId;
  if (meeting.status === 'opening' || oldThreadId === undefined) return meeting;
  try {
    if (lost?.problem === 'no-access') {
      await ctx.port.checkThread?.(oldThreadId);
      meeting = await saveMeeting(ctx, withoutLoss(meeting));
      ctx.log.info({ meeting: meeting.key, threadId: oldThreadId }, 'meeting thread usable again');
    } else if (lost?.problem === 'gone') {
      meeting = await replaceThread(ctx, meeting, oldThreadId);
    }
    // A new thread whose welcome was cut short (a crash, or a permission missing in it).
    const threadId = meeting.threadId;
    if (meeting.welcomeMessageId === undefined && threadId !== undefined) meeting = await postWelcome(ctx, meeting, threadId);
    return meeting;
  } catch (error) {
    if (!(error instanceof ChannelUnavailableError)) throw error;
    const fresh = await markThreadLost(ctx, await requireMeeting(ctx, meeting.key), error);
    // Found deleted while only its permissions were thought missing: replaced now.
    if (lost?.problem === 'no-access' && error.problem === 'gone' && error.channelId === oldThreadId) return recoverThread(ctx, fresh);
    throw error;
  }
}

/** A new thread in the text channel for a meeting whose thread is gone, recorded before the welcome is posted. */
async function replaceThread(ctx: MeetingContext, meeting: MeetingRecord, oldThreadId: string): Promise<MeetingRecord> {
  // A thread created just before a crash, never recorded, is found again by its name rather than made twice.
  const found = await ctx.port.findThreadByName(meeting.parentChannelId, meeting.threadName);
  const deleted = [oldThreadId, ...(meeting.previousThreadIds ?? [])];
  const reusable = found !== null && !deleted.includes(found);
  const threadId = reusable ? found : await ctx.port.createThread(meeting.parentChannelId, meeting.threadName);
  await ctx.store.meetings.putThread(threadId, meeting.key);
  // The next revision is posted whole in the new thread: what was posted in the old one went with it.
  const { summary: _postedInOldThread, welcomeMessageId: _oldWelcome, ...rest } = withoutLoss(meeting);
  // A revision begun but refused before any of it was posted was never seen: its number is used again.
  const started = meeting.summary;
  const unseen = started !== undefined && started.completedAt === undefined && started.messageIds.length === 0;
  const summaryRevision = unseen ? started.revision - 1 : meeting.summaryRevision;
  const next = await saveMeeting(ctx, { ...rest, threadId, summaryRevision, previousThreadIds: [...(meeting.previousThreadIds ?? []), oldThreadId] });
  ctx.log.info({ meeting: meeting.key, threadId, previousThreadId: oldThreadId }, 'meeting thread replaced');
  return postWelcome(ctx, next, threadId, reusable);
}

async function postWelcome(ctx: MeetingContext, meeting: MeetingRecord, threadId: string, resuming = true): Promise<MeetingRecord> {
  const content = welcomeText(meeting, seriesOf(ctx, meeting).template);
  const posted = resuming ? await findOwnMessage(ctx, threadId, content) : null;
  const messageId = posted ?? (await ctx.port.postMessage(threadId, { content, allowedUserMentions: [] }));
  return saveMeeting(ctx, { ...meeting, welcomeMessageId: messageId });
}

function withoutLoss(meeting: MeetingRecord): MeetingRecord {
  const { threadLost: _lost, ...rest } = meeting;
  return rest;
}

/**
 * Runs `step` (in the meeting's turn) with a usable thread. A thread found gone midway is recorded,
 * replaced and the step run once more; any other problem with it is recorded and thrown.
 */
export async function withThread<T>(ctx: MeetingContext, meeting: MeetingRecord, step: (meeting: MeetingRecord) => Promise<T>): Promise<T> {
  let usable = await recoverThread(ctx, meeting);
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(usable);
    } catch (error) {
      if (!(error instanceof ChannelUnavailableError)) throw error;
      const marked = await markThreadLost(ctx, await requireMeeting(ctx, meeting.key), error);
      if (attempt > 1 || error.problem !== 'gone' || error.channelId !== usable.threadId) throw error;
      usable = await recoverThread(ctx, marked);
    }
  }
}

/** For a command's answer: the meeting's thread, recovered now if it was lost and can be. */
export function threadState(ctx: MeetingContext, key: MeetingKey): Promise<ThreadState> {
  return meetingTurn(ctx, key, async () => {
    const meeting = await requireMeeting(ctx, key);
    const wasLost = meeting.threadLost !== undefined;
    try {
      const recovered = await recoverThread(ctx, meeting);
      const threadId = recovered.threadId ?? '';
      return { state: wasLost && recovered.threadLost === undefined ? 'recovered' : 'usable', threadId };
    } catch (error) {
      if (error instanceof ChannelUnavailableError) return { state: 'lost', error };
      throw error;
    }
  });
}

/**
 * Discord says the thread was deleted. A running meeting gets a new thread at once, and the text
 * channel is told where it goes on; an ended one gets it when its next revision is posted.
 */
export async function threadDeleted(ctx: MeetingContext, threadId: string): Promise<void> {
  const key = await ctx.store.meetings.byThread(threadId);
  if (key === undefined) return;
  await meetingTurn(ctx, key, async () => {
    const meeting = await ctx.store.meetings.get(key);
    if (!meeting || meeting.threadId !== threadId) return;
    const marked = await markThreadLost(ctx, meeting, new ChannelUnavailableError(threadId, 'gone'));
    if (marked.status !== 'open') return;
    try {
      const recovered = await recoverThread(ctx, marked);
      await tellTextChannel(ctx, recovered, movedText(recovered));
    } catch (error) {
      if (!(error instanceof ChannelUnavailableError)) throw error;
      await tellTextChannel(ctx, marked, stuckText(marked, error));
    }
  });
}

/** A notice in the meeting's text channel; a channel Scribe cannot post in either leaves it to the log and the next command. */
export async function tellTextChannel(ctx: MeetingContext, meeting: MeetingRecord, content: string): Promise<void> {
  try {
    await ctx.port.postMessage(meeting.parentChannelId, { content, allowedUserMentions: [] });
  } catch (error) {
    ctx.log.warn({ meeting: meeting.key, channelId: meeting.parentChannelId, err: error }, 'could not tell the text channel about the meeting thread');
  }
}

function movedText(meeting: MeetingRecord): string {
  return `The thread of the meeting of ${meeting.localDate} was deleted. The meeting goes on in <#${meeting.threadId ?? ''}>; nothing given so far is lost.`;
}

/** Why Scribe cannot use a channel, in the words of Discord's settings. */
export function problemWords(error: ChannelUnavailableError): string {
  if (error.problem === 'gone') return `<#${error.channelId}> no longer exists`;
  return `Scribe is missing ${error.missing.length > 0 ? error.missing.join(', ') : 'access'} in <#${error.channelId}>`;
}

function stuckText(meeting: MeetingRecord, error: ChannelUnavailableError): string {
  return `The thread of the meeting of ${meeting.localDate} was deleted and a new one cannot be opened: ${problemWords(error)}. Updates given with /update here are kept; the next command after that is fixed opens the new thread.`;
}

/** Said in the text channel when the meeting ended without its notes posted. */
export function endedWithoutNotesText(meeting: MeetingRecord, error: ChannelUnavailableError): string {
  return `The meeting of ${meeting.localDate} has ended, but its notes could not be posted: ${problemWords(error)}. Nothing is lost; once that is fixed, a maintainer can post them with /summary.`;
}
