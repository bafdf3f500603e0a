/**
 * What Scribe keeps, as plain JSON-serialisable data, and the repository interface over it. Everything
 * needed to resume a meeting after a restart is here: its thread, its state, every update, attendance
 * and the summary messages already posted. Times are ISO 8601 instants (`toISOString()`).
 *
 * This file imports no backend: the meeting core depends on these types only.
 */
import type { Update } from '../notes/types.ts';
import type { PublishRepository } from './publish-records.ts';

export type { PublishEntry, PublishRecord, PublishRepository } from './publish-records.ts';

/** `seriesId/YYYY-MM-DD` (the meeting's local date in the series' zone). */
export type MeetingKey = string;

/**
 * - `opening`: recorded before the thread is created, so a crash between creating the thread and
 *   recording it is reconciled by name instead of opening a second thread;
 * - `open`: thread recorded, updates and attendance being collected;
 * - `ended`: final summary posted and thread archived (late updates still land and make a new revision).
 */
export type MeetingStatus = 'opening' | 'open' | 'ended';

export interface SummaryPost {
  readonly revision: number;
  /** Hash of the rendered notes; an unchanged text is not posted twice. */
  readonly contentHash: string;
  /** Messages already posted for this revision, in order; fewer than `chunkCount` while posting. */
  readonly messageIds: readonly string[];
  readonly chunkCount: number;
  /** The newest message the bot knew of in the thread when this revision started; its chunks come after it. */
  readonly afterMessageId?: string;
  readonly startedAt: string;
  readonly completedAt?: string;
}

export interface MeetingRecord {
  readonly key: MeetingKey;
  readonly seriesId: string;
  readonly guildId: string;
  readonly localDate: string;
  readonly status: MeetingStatus;
  /** The text channel the thread is opened in, and the thread's name (how a lost thread is found again). */
  readonly parentChannelId: string;
  readonly threadName: string;
  readonly threadId?: string;
  /** The voice channel's name when the meeting opened (for the location template). */
  readonly voiceChannelName?: string;
  /** Scheduled open (or, for a meeting on a day without a scheduled one, the actual open) and end; the notes' datetime is `opensAt`. */
  readonly opensAt: string;
  readonly endsAt: string;
  /** Local time (HH:MM:SS) of `opensAt` in the series' zone. */
  readonly opensAtLocalTime: string;
  readonly openingStartedAt: string;
  readonly openedAt?: string;
  readonly endedAt?: string;
  readonly welcomeMessageId?: string;
  readonly reminderSentAt?: string;
  readonly reminderMessageId?: string;
  /** The last summary revision started; `summaryRevision` counts them. */
  readonly summaryRevision: number;
  readonly summary?: SummaryPost;
  /** Set while Scribe cannot use the thread (deleted, or its permissions taken away); cleared when it recovers (recover-thread.ts). */
  readonly threadLost?: ThreadLost;
  /** Threads this meeting had before the current one (deleted), oldest first. */
  readonly previousThreadIds?: readonly string[];
  readonly updatedAt: string;
}

export interface ThreadLost {
  readonly since: string;
  /** `gone`: deleted, a new thread is needed; `no-access`: it may still be there once the permissions are back. */
  readonly problem: 'gone' | 'no-access';
  /** Where the problem is: the thread, or its text channel (where a new thread is created). */
  readonly channelId: string;
  readonly missing: readonly string[];
}

/** How a member appears on Discord, kept so the notes can be compiled without asking Discord again. */
export interface MemberIdentity {
  /** Server nickname, when set. */
  readonly nick?: string;
  /** Global display name (or username). */
  readonly displayName: string;
}

export interface UpdateRecord {
  readonly meetingKey: MeetingKey;
  readonly userId: string;
  readonly identity: MemberIdentity;
  /** The notes name resolved when the update was given. */
  readonly name: string;
  readonly update: Update;
  /** When this person first gave an update in this meeting: the order of blocks. */
  readonly firstGivenAt: string;
  readonly updatedAt: string;
  /** Who submitted it: the person themself, or a maintainer with `/update for:`. */
  readonly authorId: string;
  /**
   * The id of the form submission whose text this is (a snowflake: a later submission has a larger id),
   * so that of two forms handled out of order the later-submitted one still wins.
   */
  readonly submissionId?: string;
}

export interface NameRecord {
  readonly guildId: string;
  readonly userId: string;
  readonly name: string;
  readonly setAt: string;
}

export interface PresenceInterval {
  readonly from: string;
  /** Absent while the member is still in the channel. */
  readonly to?: string;
}

export interface AttendeeRecord {
  readonly userId: string;
  readonly identity: MemberIdentity;
  readonly firstJoinedAt: string;
  readonly intervals: readonly PresenceInterval[];
}

/** Voice attendance of one meeting; bots are never recorded. Attendees in the order they first joined. */
export interface AttendanceRecord {
  readonly meetingKey: MeetingKey;
  readonly attendees: readonly AttendeeRecord[];
  readonly updatedAt: string;
}

/** Per series: the meeting currently open, so a channel finds its meeting and a restart resumes it. */
export interface SeriesStateRecord {
  readonly seriesId: string;
  readonly currentMeetingKey?: MeetingKey;
  readonly lastMeetingKey?: MeetingKey;
  readonly updatedAt: string;
}

/** A person as the discussion notes name them (by initials, from the notes name). */
export interface Person {
  readonly userId: string;
  readonly identity: MemberIdentity;
}

export interface AgendaItem {
  readonly text: string;
  readonly addedBy: string;
  readonly addedAt: string;
}

/** One discussion note: a speaker turn of `userId`, as typed (cleaned); its blocks are read at compile time. */
export interface DiscussionNote extends Person {
  /** The interaction that gave it (a snowflake); a note is kept once per id. */
  readonly id: string;
  /** Who submitted it: the person themself, or a maintainer with `for:`. */
  readonly authorId: string;
  /** The `###` sub-heading it goes under, as first written in this meeting. */
  readonly topic?: string;
  readonly text: string;
  readonly givenAt: string;
}

export interface DiscussionTask {
  readonly id: string;
  readonly owners: readonly Person[];
  readonly text: string;
  readonly authorId: string;
  readonly givenAt: string;
}

export interface DiscussionDecision {
  readonly id: string;
  readonly text: string;
  readonly authorId: string;
  readonly givenAt: string;
}

/**
 * Everything typed for a meeting of a discussion series, in the order given: one record, read, changed
 * and written whole in the meeting's turn of the queue. May exist before the meeting opens (its agenda).
 */
export interface DiscussionRecord {
  readonly meetingKey: MeetingKey;
  readonly agenda: readonly AgendaItem[];
  readonly notes: readonly DiscussionNote[];
  readonly tasks: readonly DiscussionTask[];
  readonly decisions: readonly DiscussionDecision[];
  readonly updatedAt: string;
}

export interface DiscussionRepository {
  get(meetingKey: MeetingKey): Promise<DiscussionRecord | undefined>;
  put(record: DiscussionRecord): Promise<void>;
}

export interface MeetingRepository {
  get(key: MeetingKey): Promise<MeetingRecord | undefined>;
  put(record: MeetingRecord): Promise<void>;
  delete(key: MeetingKey): Promise<boolean>;
  /** The meeting whose thread this is, if Scribe opened it. */
  byThread(threadId: string): Promise<MeetingKey | undefined>;
  putThread(threadId: string, key: MeetingKey): Promise<void>;
}

export interface UpdateRepository {
  get(meetingKey: MeetingKey, userId: string): Promise<UpdateRecord | undefined>;
  /** Writes the record and, for someone new, the meeting's index naming them: together or not at all. */
  put(record: UpdateRecord): Promise<void>;
  /** The same for several records of one meeting, in one write. */
  putMany(meetingKey: MeetingKey, records: readonly UpdateRecord[]): Promise<void>;
  /** Removes the user from the index, then the record. */
  delete(meetingKey: MeetingKey, userId: string): Promise<boolean>;
  /** Every update of the meeting, in the order people first gave one. */
  list(meetingKey: MeetingKey): Promise<UpdateRecord[]>;
}

export interface NameRepository {
  get(guildId: string, userId: string): Promise<NameRecord | undefined>;
  put(record: NameRecord): Promise<void>;
  delete(guildId: string, userId: string): Promise<boolean>;
  getMany(guildId: string, userIds: readonly string[]): Promise<Map<string, NameRecord>>;
}

export interface AttendanceRepository {
  get(meetingKey: MeetingKey): Promise<AttendanceRecord | undefined>;
  put(record: AttendanceRecord): Promise<void>;
  delete(meetingKey: MeetingKey): Promise<boolean>;
}

export interface SeriesStateRepository {
  get(seriesId: string): Promise<SeriesStateRecord | undefined>;
  put(record: SeriesStateRecord): Promise<void>;
}

/**
 * Records changed only by single atomic steps of the backend, for what must happen once however many
 * processes share the store (e.g. the claims of claim.ts). Values are plain JSON objects;
 * `replace` and `remove` compare the stored value's JSON text with that of `expected`, so pass the
 * value `get` returned. Different processes race here safely; nothing else in Store is atomic across them.
 */
export interface AtomicRepository {
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` only if nothing is stored under `key`: true when this call stored it. */
  create(key: string, value: unknown): Promise<boolean>;
  /** Stores `next` only if the stored value is still `expected`: true when this call replaced it. */
  replace(key: string, expected: unknown, next: unknown): Promise<boolean>;
  /** Deletes the value only if it is still `expected`: true when this call deleted it. */
  remove(key: string, expected: unknown): Promise<boolean>;
}

export interface Store {
  /** The store URL without credentials, for logs. */
  readonly backend: string;
  readonly meetings: MeetingRepository;
  readonly updates: UpdateRepository;
  readonly names: NameRepository;
  readonly attendance: AttendanceRepository;
  readonly series: SeriesStateRepository;
  readonly discussions: DiscussionRepository;
  readonly publishes: PublishRepository;
  readonly atomic: AtomicRepository;
  /** Removes every record in this store's namespace (tests and resets only). */
  clear(): Promise<void>;
  /** Closes the backend's connections. */
  close(): Promise<void>;
}
