/**
 * What every use case of the meeting core works with, and the few steps they share. Each use case is a
 * file of its own (open-meeting.ts, record-update.ts, voice-attendance.ts, post-notes.ts, remind.ts,
 * end-meeting.ts); service.ts puts them behind one object for the commands and the schedule.
 */
import type { Clock } from '../clock.ts';
import type { Series } from '../config.ts';
import { UserError } from '../errors.ts';
import { storedContent } from '../notes/chunks.ts';
import type { Block } from '../notes/types.ts';
import type { KeyedBatches } from './batches.ts';
import type { ClaimOwner } from './claim.ts';
import type { DiscordPort } from './ports.ts';
import type { NotesPublishing } from './publish-notes.ts';
import type { KeyedQueue } from './queue.ts';
import type { RecordedUpdate, RecordUpdateInput } from './record-update.ts';
import type { MeetingKey, MeetingRecord, Store } from './records.ts';

/** The subset of a pino logger the core uses. */
export interface MeetingLog {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** What the core reports as it happens, for metrics; it never changes what the core does. */
export interface MeetingEvents {
  updatesStored(count: number): void;
  notesPosted(): void;
}

export const noEvents: MeetingEvents = { updatesStored: () => undefined, notesPosted: () => undefined };

export interface MeetingContext {
  readonly store: Store;
  readonly port: DiscordPort;
  readonly clock: Clock;
  readonly series: readonly Series[];
  readonly log: MeetingLog;
  readonly events: MeetingEvents;
  /** Who this process is when it claims a step (claim.ts). */
  readonly claimOwner: ClaimOwner;
  /** Longest message posted (Discord's 2,000). */
  readonly messageLimit: number;
  /** Every write to one meeting runs in its turn: two submissions at once are applied one after the other. */
  readonly queue: KeyedQueue;
  /** Updates waiting for their meeting's turn, applied together in it (see record-update.ts). */
  readonly updates: KeyedBatches<RecordUpdateInput, RecordedUpdate>;
  /**
   * Per meeting, each person's block as last written here, in file order: what the answer to an update
   * with links needs to number them as the file will, without reading every update again (in a burst,
   * that read was most of the work). Read from the store again once BLOCKS_KEPT_MS old, since another
   * process (a server that moved between shards) may have written the meeting's updates meanwhile;
   * dropped when the meeting ends or a write fails. Only previews use it, never the notes.
   */
  readonly blocks: Map<MeetingKey, { readonly readAt: number; readonly byUser: Map<string, Block> }>;
  /** Publishing to the notes repository (issue 23); absent when the service was built without publishers. */
  readonly publishing?: NotesPublishing;
}

export const MINUTE = 60_000;

/** How long a meeting's blocks are kept before they are read from the store again (see MeetingContext.blocks). */
export const BLOCKS_KEPT_MS = 5_000;

export async function requireMeeting(ctx: MeetingContext, key: MeetingKey): Promise<MeetingRecord> {
  const meeting = await ctx.store.meetings.get(key);
  if (!meeting) throw new UserError(`There is no meeting ${key}.`);
  return meeting;
}

export function seriesOf(ctx: MeetingContext, meeting: MeetingRecord): Series {
  const series = ctx.series.find((s) => s.id === meeting.seriesId);
  if (!series) throw new Error(`meeting ${meeting.key} belongs to series "${meeting.seriesId}", which the configuration no longer has`);
  return series;
}

export async function saveMeeting(ctx: MeetingContext, meeting: MeetingRecord): Promise<MeetingRecord> {
  const saved = { ...meeting, updatedAt: ctx.clock.now().toISOString() };
  await ctx.store.meetings.put(saved);
  return saved;
}

/**
 * A message posted just before a crash, its id never recorded (see DiscordPort.findOwnMessage), so
 * that it is not posted twice. `content` as sent: what is looked for is what Discord stores of it
 * (trimmed). A failed look is logged and counts as not found.
 */
export async function findOwnMessage(ctx: MeetingContext, channelId: string, content: string, afterMessageId?: string): Promise<string | null> {
  if (!ctx.port.findOwnMessage) return null;
  try {
    const found = await ctx.port.findOwnMessage(channelId, storedContent(content), afterMessageId);
    if (found !== null) ctx.log.info({ channelId, messageId: found }, 'message posted before a restart found again');
    return found;
  } catch (error) {
    ctx.log.warn({ channelId, err: error }, 'could not look for a message posted before a restart; posting it');
    return null;
  }
}
