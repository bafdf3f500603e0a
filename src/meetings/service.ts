/**
 * The meeting lifecycle against the store and a Discord port: open, collect updates and attendance,
 * remind, compile, post the summary, end. Every write to one meeting goes through that meeting's queue
 * (one process owns a guild), and every step records what it did before the next one depends on it,
 * so a restart at any point resumes from the store:
 * - open: `opening` (and the series' current meeting) is recorded before the thread is created; a
 *   thread created but not recorded is found again by name, so no second thread is ever created;
 * - summary: the revision and each posted message id are recorded as they happen; an unchanged text
 *   is not posted again and a half-posted one is completed, so no summary is posted twice;
 * - a message posted just before a crash, its id never recorded (the welcome, a summary chunk), is
 *   found in the thread by its exact text instead of being posted again;
 * - end: summary, archive, then `ended`; repeating any of it is harmless.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Series } from '../config.ts';
import { UserError } from '../errors.ts';
import { zonedParts } from '../notes/datetime.ts';
import { MAX_UPDATE_BULLETS, MAX_UPDATE_CHARS, formatUpdate } from '../notes/bullets.ts';
import { render, renderChunks } from '../notes/render.ts';
import type { Block, Notes, Update } from '../notes/types.ts';
import { nextOpen, scheduledOpenOn } from '../schedule/calendar.ts';
import { KeyedQueue } from '../store/queue.ts';
import type {
  AttendeeRecord,
  MeetingKey,
  MeetingRecord,
  MemberIdentity,
  NameRecord,
  Store,
  SummaryPost,
  UpdateRecord,
} from '../store/records.ts';
import { join, leave } from './attendance.ts';
import { compileNotes } from './compile.ts';
import { LabelIndex } from './label-index.ts';
import { appendUpdate } from './merge.ts';
import { reminderText, welcomeText } from './messages.ts';
import { resolveName, validateSetName, type NameSource } from './names.ts';
import type { DiscordPort, VoiceMember } from './ports.ts';
import type { Roster } from './roster.ts';
import { meetingKey, notesFileNameFor, threadNameFor } from './templates.ts';

/** Discord's message length limit. */
export const DISCORD_MESSAGE_LIMIT = 2000;
const MINUTE = 60_000;

/** The subset of a pino logger the service uses. */
export interface ServiceLog {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

const silentLog: ServiceLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface MeetingServiceOptions {
  readonly store: Store;
  readonly port: DiscordPort;
  readonly clock: Clock;
  readonly series: readonly Series[];
  readonly log?: ServiceLog;
  /** Longest message posted; default Discord's 2,000. */
  readonly messageLimit?: number;
  /**
   * Awaited after an update is stored, before what follows (the log line, the answer). A batch of
   * stored updates resumes all its writers at once; the bot passes its background lane here so that
   * they go on one at a time, with other interactions' acknowledgements in between.
   */
  readonly afterStored?: () => Promise<void>;
}

/** Whose update it is. */
export interface Subject {
  readonly userId: string;
  readonly identity: MemberIdentity;
  readonly bot?: boolean;
}

export interface RecordUpdateInput {
  readonly subject: Subject;
  readonly update: Update;
  /** Who submitted: the subject, or a maintainer using `/update for:`. */
  readonly authorId: string;
  /** `replace` (the modal) or `append` (`/update text:`). Default replace. */
  readonly mode?: 'replace' | 'append';
  /**
   * The submission's Discord id (a snowflake: it orders submissions by when Discord received them).
   * Of two replacements handled out of order, the later-submitted one still wins.
   */
  readonly order?: bigint;
}

export interface RecordedUpdate {
  readonly record: UpdateRecord;
  /** The person's block, and as text exactly as the notes will show it (labels numbered across the file). */
  readonly block: Block;
  readonly preview: string;
}

export interface CompiledMeeting {
  readonly meeting: MeetingRecord;
  readonly notes: Notes;
  readonly roster: Roster;
  /** The whole file. */
  readonly text: string;
  /** The file split at block boundaries into messages of at most messageLimit characters. */
  readonly chunks: readonly string[];
  readonly fileName: string;
}

export interface SummaryResult {
  readonly revision: number;
  readonly messageIds: readonly string[];
  /** False when the text was unchanged since the last complete revision and nothing was posted. */
  readonly posted: boolean;
  readonly compiled: CompiledMeeting;
}

export interface MeetingStatusReport {
  readonly meeting: MeetingRecord;
  readonly withUpdate: readonly { readonly userId: string; readonly name: string }[];
  /** Attendees (any presence) without an update, in the order they joined. */
  readonly withoutUpdate: readonly { readonly userId: string; readonly name: string; readonly presenceMinutes: number }[];
}

export interface VoiceChange {
  readonly guildId: string;
  readonly member: VoiceMember;
  /** Channel left (null: none). A move is a leave and a join. */
  readonly fromChannelId: string | null;
  readonly toChannelId: string | null;
}

export class MeetingService {
  readonly series: readonly Series[];
  readonly #store: Store;
  readonly #port: DiscordPort;
  readonly #clock: Clock;
  readonly #afterStored: () => Promise<void>;
  readonly #log: ServiceLog;
  readonly #limit: number;
  readonly #queue = new KeyedQueue();
  /** `meeting:user` → the order of the newest replacement saved (see RecordUpdateInput.order). */
  readonly #newestReplacement = new Map<string, bigint>();
  /** Per meeting, loaded from the store on first use and kept in step by the writes in its queue. */
  readonly #labels = new Map<MeetingKey, LabelIndex>();
  /**
   * Read-through copies of what only this service writes (one process owns a guild's meetings), so a
   * submission does not read the same meeting and name records back on every update. Written to the
   * store first, then here.
   */
  readonly #meetings = new Map<MeetingKey, MeetingRecord>();
  readonly #names = new Map<string, NameRecord | null>();
  /**
   * Thread → meeting, as found or written here: a thread's meeting never changes, and every `/update`
   * in a thread asks before its form can be shown. Only found ones are kept: a thread just created may
   * be asked about before its meeting is written down.
   */
  readonly #meetingOfThread = new Map<string, MeetingKey>();
  /**
   * Per meeting, each person's update record as read or written here (null: none). The form's pre-fill
   * reads it, so the submission that follows only writes. Dropped with the label index when the meeting ends.
   */
  readonly #updates = new Map<MeetingKey, Map<string, UpdateRecord | null>>();

  constructor(options: MeetingServiceOptions) {
    this.series = options.series;
    this.#store = options.store;
    this.#port = options.port;
    this.#clock = options.clock;
    this.#log = options.log ?? silentLog;
    this.#limit = options.messageLimit ?? DISCORD_MESSAGE_LIMIT;
    this.#afterStored = options.afterStored ?? (() => Promise.resolve());
  }

  // -------------------------------------------------------------------------------------------------
  // Lookups

  seriesById(seriesId: string): Series | undefined {
    return this.series.find((s) => s.id === seriesId);
  }

  /** The series whose text channel or voice channel this is. */
  seriesForChannel(channelId: string): Series | undefined {
    return this.series.find((s) => s.textChannel === channelId || s.voiceChannel === channelId);
  }

  /** Today's local date in the series' zone. */
  localDateNow(series: Series): string {
    return zonedParts(this.#clock.now(), series.timeZone).date;
  }

  nextOpen(series: Series): Date | undefined {
    return nextOpen(series, this.#clock.now());
  }

  getMeeting(key: MeetingKey): Promise<MeetingRecord | undefined> {
    return this.#meeting(key);
  }

  /** The series' meeting that is opening or open now, if any. */
  async currentMeeting(series: Series): Promise<MeetingRecord | undefined> {
    const state = await this.#store.series.get(series.id);
    if (state?.currentMeetingKey === undefined) return undefined;
    const meeting = await this.#meeting(state.currentMeetingKey);
    return meeting && meeting.status !== 'ended' ? meeting : undefined;
  }

  /**
   * The meeting a command in this channel is about: the meeting whose thread it is (open or ended: late
   * updates still count), else the open meeting of the series whose text or voice channel it is.
   */
  async meetingForChannel(channelId: string): Promise<MeetingRecord | undefined> {
    const known = this.#meetingOfThread.get(channelId);
    if (known !== undefined) return this.#meeting(known);
    const key = await this.#store.meetings.byThread(channelId);
    if (key !== undefined) {
      this.#meetingOfThread.set(channelId, key);
      return this.#meeting(key);
    }
    const series = this.seriesForChannel(channelId);
    return series ? this.currentMeeting(series) : undefined;
  }

  // -------------------------------------------------------------------------------------------------
  // Open

  /**
   * Opens the series' meeting of a local date (default: today in its zone). Idempotent: a second call,
   * a concurrent one or one after a restart returns the same meeting and never creates a second thread.
   * An `opening` meeting left by a crash is completed.
   */
  openMeeting(series: Series, localDate = this.localDateNow(series)): Promise<{ meeting: MeetingRecord; created: boolean }> {
    const key = meetingKey(series.id, localDate);
    return this.#queue.run(key, async () => {
      let meeting = await this.#meeting(key);
      if (meeting && meeting.status !== 'opening') return { meeting, created: false };
      const now = this.#clock.now();
      // An opening begun by an earlier process, cut short: what it posted may be on Discord unrecorded.
      const resuming = meeting !== undefined;
      if (!meeting) {
        meeting = this.#newMeeting(series, localDate, now);
        await this.#store.meetings.put(meeting);
        this.#meetings.set(key, meeting);
        // Current from the start, so that start-up finds and completes an opening cut short by a crash
        // even outside a scheduled window (a meeting started by hand).
        const state = await this.#store.series.get(series.id);
        await this.#store.series.put({ ...state, seriesId: series.id, currentMeetingKey: key, updatedAt: now.toISOString() });
      }

      if (meeting.threadId === undefined) {
        const found = await this.#port.findThreadByName(meeting.parentChannelId, meeting.threadName);
        const threadId = found ?? (await this.#port.createThread(meeting.parentChannelId, meeting.threadName));
        meeting = await this.#save({ ...meeting, threadId });
        await this.#store.meetings.putThread(threadId, key);
        this.#meetingOfThread.set(threadId, key);
        this.#log.info({ meeting: key, threadId, reconciled: found !== null }, found ? 'meeting thread found again' : 'meeting thread created');
      }
      const threadId = meeting.threadId as string;

      if (meeting.voiceChannelName === undefined) {
        const name = await this.#port.channelName(series.voiceChannel);
        if (name !== null) meeting = await this.#save({ ...meeting, voiceChannelName: name });
      }
      if (meeting.welcomeMessageId === undefined) {
        const content = welcomeText(meeting);
        const posted = resuming ? await this.#findOwnMessage(threadId, content) : null;
        const messageId = posted ?? (await this.#port.postMessage(threadId, { content, allowedUserMentions: [] }));
        meeting = await this.#save({ ...meeting, welcomeMessageId: messageId });
      }

      await this.#syncAttendance(meeting, await this.#port.voiceMembers(series.voiceChannel));
      meeting = await this.#save({ ...meeting, status: 'open', openedAt: now.toISOString() });
      await this.#store.series.put({ seriesId: series.id, currentMeetingKey: key, lastMeetingKey: key, updatedAt: now.toISOString() });
      this.#log.info({ meeting: key }, 'meeting open');
      return { meeting, created: true };
    });
  }

  #newMeeting(series: Series, localDate: string, now: Date): MeetingRecord {
    const scheduled = scheduledOpenOn(series, localDate);
    const opensAt = scheduled?.instant ?? now;
    let endsAt = new Date(opensAt.getTime() + series.durationMinutes * MINUTE);
    // Started by hand after the scheduled window: it still gets its full length.
    if (endsAt.getTime() <= now.getTime()) endsAt = new Date(now.getTime() + series.durationMinutes * MINUTE);
    return {
      key: meetingKey(series.id, localDate),
      seriesId: series.id,
      guildId: series.guild,
      localDate,
      status: 'opening',
      parentChannelId: series.textChannel,
      threadName: threadNameFor(series, localDate),
      opensAt: opensAt.toISOString(),
      endsAt: endsAt.toISOString(),
      opensAtLocalTime: scheduled?.localTime ?? zonedParts(now, series.timeZone).time,
      openingStartedAt: now.toISOString(),
      summaryRevision: 0,
      updatedAt: now.toISOString(),
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Updates and names

  getUpdate(key: MeetingKey, userId: string): Promise<UpdateRecord | undefined> {
    return this.#updateRecord(key, userId);
  }

  /** The caller's current bullets as editable text (for the modal), or '' when they have none. */
  async currentUpdateText(key: MeetingKey, userId: string): Promise<string> {
    const meeting = await this.#meeting(key);
    // The name is read now as well: the submission that follows needs it, and then has nothing to read.
    const [record] = await Promise.all([this.#updateRecord(key, userId), meeting ? this.#nameRecord(meeting.guildId, userId) : undefined]);
    return record ? formatUpdate(record.update) : '';
  }

  /**
   * Replaces (or appends to) a person's update. Concurrent submissions for one meeting are applied in
   * turn: none is lost, and for one person the last one wins.
   */
  async recordUpdate(key: MeetingKey, input: RecordUpdateInput): Promise<RecordedUpdate> {
    if (input.subject.bot) throw new UserError('Bots cannot give updates; only people appear in the notes.');
    const slot = `${key}:${input.subject.userId}`;
    // The queue orders the submissions and hands each write to the store; it does not wait for the
    // write to be stored, so a burst of submissions is stored in a few batches instead of one by one.
    const { recorded, stored } = await this.#queue.run(key, async () => {
      const meeting = await this.#requireMeeting(key);
      const now = this.#clock.now().toISOString();
      const existing = await this.#updateRecord(key, input.subject.userId);
      const newest = this.#newestReplacement.get(slot);
      if (existing && input.mode !== 'append' && input.order !== undefined && newest !== undefined && newest > input.order) {
        // A form sent later was saved first: it stays, and this answer shows it.
        const kept: Block = { names: [existing.name], bullets: existing.update.bullets, references: existing.update.references };
        return { recorded: { record: existing, block: kept, preview: (await this.#labelIndex(key)).preview(existing.userId, kept) }, stored: null };
      }
      const update = input.mode === 'append' ? appendUpdate(existing?.update, input.update) : input.update;
      // Checked here, in the meeting's queue, so that additions sent at once cannot together pass the limits.
      if (input.mode === 'append') assertFitsTheForm(update);
      const setName = await this.#nameRecord(meeting.guildId, input.subject.userId);
      const record: UpdateRecord = {
        meetingKey: key,
        userId: input.subject.userId,
        identity: input.subject.identity,
        name: resolveName(setName?.name, input.subject.identity, input.subject.userId).name,
        update,
        firstGivenAt: existing?.firstGivenAt ?? now,
        updatedAt: now,
        authorId: input.authorId,
      };
      const labels = await this.#labelIndex(key);
      const stored = this.#store.updates.put(record);
      // The caches run ahead of the store so that the next submission builds on this one; if the
      // write fails, they are dropped below and read again from the store.
      this.#updatesOf(key).set(record.userId, record);
      if (input.mode !== 'append' && input.order !== undefined) this.#newestReplacement.set(slot, input.order);
      const block: Block = { names: [record.name], bullets: update.bullets, references: update.references };
      labels.set(record.userId, block);
      return { recorded: { record, block, preview: labels.preview(record.userId, block) }, stored };
    });
    if (stored) {
      try {
        await stored;
      } catch (error) {
        // A write that timed out may still land: the next read asks the store.
        this.#updates.delete(key);
        this.#labels.delete(key);
        if (input.order !== undefined && this.#newestReplacement.get(slot) === input.order) this.#newestReplacement.delete(slot);
        throw error;
      }
      await this.#afterStored();
      const { record } = recorded;
      this.#log.info({ meeting: key, userId: record.userId, authorId: record.authorId, bullets: record.update.bullets.length }, 'update recorded');
    }
    return recorded;
  }

  /** The labels of a meeting's blocks, for showing one block exactly as the file will (see LabelIndex). */
  async #labelIndex(key: MeetingKey): Promise<LabelIndex> {
    let index = this.#labels.get(key);
    if (!index) {
      const updates = await this.#store.updates.list(key);
      index = new LabelIndex(updates.map((u) => [u.userId, { names: [u.name], bullets: u.update.bullets, references: u.update.references }] as const));
      this.#labels.set(key, index);
    }
    return index;
  }

  /** Removes a person's update (their block disappears from the next revision). */
  removeUpdate(key: MeetingKey, userId: string): Promise<boolean> {
    return this.#queue.run(key, async () => {
      const removed = await this.#store.updates.delete(key, userId);
      this.#updatesOf(key).set(userId, null);
      this.#labels.get(key)?.delete(userId);
      return removed;
    });
  }

  async setName(guildId: string, userId: string, raw: string): Promise<NameRecord> {
    const record: NameRecord = { guildId, userId, name: validateSetName(raw), setAt: this.#clock.now().toISOString() };
    await this.#store.names.put(record);
    this.#names.set(`${guildId}:${userId}`, record);
    return record;
  }

  async nameOf(guildId: string, userId: string, identity: MemberIdentity): Promise<{ name: string; source: NameSource }> {
    const set = await this.#nameRecord(guildId, userId);
    return resolveName(set?.name, identity, userId);
  }

  // -------------------------------------------------------------------------------------------------
  // Attendance

  /** A voice state change from the gateway: joins and leaves of any series' voice channel. */
  async voiceStateChanged(change: VoiceChange): Promise<void> {
    if (change.member.bot || change.fromChannelId === change.toChannelId) return;
    for (const series of this.series) {
      if (series.guild !== change.guildId) continue;
      const left = change.fromChannelId === series.voiceChannel;
      const joined = change.toChannelId === series.voiceChannel;
      if (!left && !joined) continue;
      const meeting = await this.currentMeeting(series);
      if (!meeting) continue;
      if (joined) await this.voiceJoin(meeting.key, change.member);
      else await this.voiceLeave(meeting.key, change.member.userId);
    }
  }

  voiceJoin(key: MeetingKey, member: VoiceMember): Promise<void> {
    if (member.bot) return Promise.resolve();
    return this.#queue.run(key, async () => {
      const meeting = await this.#requireMeeting(key);
      if (meeting.status === 'ended') return;
      await this.#editAttendance(key, (attendees, now) => join(attendees, [member], now));
    });
  }

  voiceLeave(key: MeetingKey, userId: string): Promise<void> {
    return this.#queue.run(key, async () => {
      const meeting = await this.#requireMeeting(key);
      if (meeting.status === 'ended') return;
      await this.#editAttendance(key, (attendees, now) => leave(attendees, (id) => id === userId, now));
    });
  }

  /**
   * Makes the record agree with who is in the voice channel now (after a reconnect or restart): those
   * present without an open interval join now, those recorded as present but gone leave now.
   */
  syncAttendance(key: MeetingKey): Promise<void> {
    return this.#queue.run(key, async () => {
      const meeting = await this.#requireMeeting(key);
      if (meeting.status === 'ended') return;
      const series = this.#seriesOf(meeting);
      await this.#syncAttendance(meeting, await this.#port.voiceMembers(series.voiceChannel));
    });
  }

  async #syncAttendance(meeting: MeetingRecord, present: readonly VoiceMember[]): Promise<void> {
    const people = present.filter((m) => !m.bot);
    const ids = new Set(people.map((m) => m.userId));
    await this.#editAttendance(meeting.key, (attendees, now) => join(leave(attendees, (id) => !ids.has(id), now), people, now));
  }

  async #editAttendance(key: MeetingKey, edit: (attendees: readonly AttendeeRecord[], now: string) => readonly AttendeeRecord[]): Promise<void> {
    const now = this.#clock.now().toISOString();
    const current = await this.#store.attendance.get(key);
    const attendees = edit(current?.attendees ?? [], now);
    if (current && attendees === current.attendees) return;
    await this.#store.attendance.put({ meetingKey: key, attendees, updatedAt: now });
  }

  // -------------------------------------------------------------------------------------------------
  // Compile, status, summary, reminder, end

  async compile(key: MeetingKey): Promise<CompiledMeeting> {
    const meeting = await this.#requireMeeting(key);
    return this.#compile(meeting);
  }

  async #compile(meeting: MeetingRecord): Promise<CompiledMeeting> {
    const series = this.#seriesOf(meeting);
    const [updates, attendance] = await Promise.all([this.#store.updates.list(meeting.key), this.#store.attendance.get(meeting.key)]);
    const userIds = [...new Set([...updates.map((u) => u.userId), ...(attendance?.attendees ?? []).map((a) => a.userId)])];
    const names = await this.#store.names.getMany(meeting.guildId, userIds);
    const { notes, roster } = compileNotes({ series, meeting, updates, attendance, names, now: this.#clock.now() });
    const text = render(notes);
    return { meeting, notes, roster, text, chunks: renderChunks(notes, this.#limit), fileName: notesFileNameFor(series, meeting.localDate) };
  }

  async status(key: MeetingKey): Promise<MeetingStatusReport> {
    const compiled = await this.compile(key);
    return {
      meeting: compiled.meeting,
      withUpdate: compiled.roster.withUpdate.map(({ userId, name }) => ({ userId, name })),
      withoutUpdate: compiled.roster.attendees
        .filter((a) => !a.hasUpdate)
        .map(({ userId, name, presenceMs }) => ({ userId, name, presenceMinutes: Math.floor(presenceMs / MINUTE) })),
    };
  }

  /**
   * Posts the compiled notes in the meeting's thread as a new revision: the text split at block
   * boundaries, the `.md` file on the last message, no mentions. An unchanged text is not posted again
   * unless `force`; a revision cut short by a crash is completed.
   */
  postSummary(key: MeetingKey, options: { force?: boolean } = {}): Promise<SummaryResult> {
    return this.#queue.run(key, async () => this.#postSummary(await this.#requireMeeting(key), options.force ?? false));
  }

  async #postSummary(start: MeetingRecord, force: boolean): Promise<SummaryResult> {
    let meeting = start;
    const threadId = meeting.threadId;
    if (threadId === undefined) throw new UserError('This meeting has no thread yet; it is still opening. Try again in a moment.');
    const compiled = await this.#compile(meeting);
    const contentHash = createHash('sha256').update(compiled.text).digest('hex');
    const last = meeting.summary;
    const resumable = last !== undefined && last.contentHash === contentHash && last.chunkCount === compiled.chunks.length;
    if (resumable && last.completedAt !== undefined && !force) {
      return { revision: last.revision, messageIds: last.messageIds, posted: false, compiled };
    }
    const now = () => this.#clock.now().toISOString();
    const resuming = resumable && last.completedAt === undefined;
    // Messages of this revision come after the anchor; an identical chunk of an earlier one does not.
    const anchor = last?.messageIds.at(-1) ?? last?.afterMessageId ?? meeting.welcomeMessageId;
    let summary: SummaryPost = resuming
      ? last
      : {
          revision: meeting.summaryRevision + 1,
          contentHash,
          messageIds: [],
          chunkCount: compiled.chunks.length,
          startedAt: now(),
          ...(anchor === undefined ? {} : { afterMessageId: anchor }),
        };
    meeting = await this.#save({ ...meeting, summaryRevision: summary.revision, summary });

    const resumeAt = summary.messageIds.length;
    for (let i = resumeAt; i < compiled.chunks.length; i++) {
      const isLast = i === compiled.chunks.length - 1;
      const content = compiled.chunks[i] ?? '';
      // Resuming after a crash: the next chunk may have been posted without its id being recorded.
      const posted = resuming && i === resumeAt ? await this.#findOwnMessage(threadId, content, summary.messageIds.at(-1) ?? summary.afterMessageId) : null;
      const messageId = posted ?? await this.#port.postMessage(threadId, {
        content,
        ...(isLast ? { files: [{ name: compiled.fileName, content: compiled.text }] } : {}),
        allowedUserMentions: [],
      });
      summary = { ...summary, messageIds: [...summary.messageIds, messageId] };
      meeting = await this.#save({ ...meeting, summary });
    }
    summary = { ...summary, completedAt: now() };
    meeting = await this.#save({ ...meeting, summary });
    this.#log.info({ meeting: meeting.key, revision: summary.revision, messages: summary.messageIds.length }, 'summary posted');
    return { revision: summary.revision, messageIds: summary.messageIds, posted: true, compiled: { ...compiled, meeting } };
  }

  /**
   * One message mentioning the attendees who have not given an update (and only them). At most once
   * per meeting: the intent is recorded before posting, so a crash loses the reminder rather than
   * pinging people twice.
   */
  sendReminder(key: MeetingKey): Promise<{ sent: boolean; userIds: readonly string[] }> {
    return this.#queue.run(key, async () => {
      let meeting = await this.#requireMeeting(key);
      if (meeting.status !== 'open' || meeting.reminderSentAt !== undefined || meeting.threadId === undefined) return { sent: false, userIds: [] };
      const { roster } = await this.#compile(meeting);
      const userIds = roster.attendees.filter((a) => !a.hasUpdate).map((a) => a.userId);
      meeting = await this.#save({ ...meeting, reminderSentAt: this.#clock.now().toISOString() });
      if (userIds.length === 0) return { sent: false, userIds };
      const messageId = await this.#port.postMessage(meeting.threadId as string, {
        content: reminderText(meeting, userIds),
        allowedUserMentions: userIds,
      });
      await this.#save({ ...meeting, reminderMessageId: messageId });
      return { sent: true, userIds };
    });
  }

  /**
   * Ends the meeting: presence closed, final summary posted (unless unchanged since the last one),
   * thread archived, `ended` recorded. Idempotent.
   */
  endMeeting(key: MeetingKey): Promise<{ meeting: MeetingRecord; summary: SummaryResult | undefined }> {
    return this.#queue.run(key, async () => {
      let meeting = await this.#requireMeeting(key);
      if (meeting.status === 'ended') return { meeting, summary: undefined };
      const now = this.#clock.now().toISOString();
      // Ended late (catching up after downtime): presence and the notes stop at the scheduled end.
      const endedAt = meeting.endedAt ?? (meeting.endsAt < now ? meeting.endsAt : now);
      await this.#editAttendance(key, (attendees) => leave(attendees, () => true, endedAt));
      meeting = await this.#save({ ...meeting, endedAt });
      let summary: SummaryResult | undefined;
      if (meeting.threadId !== undefined) {
        summary = await this.#postSummary(meeting, false);
        meeting = summary.compiled.meeting;
        await this.#port.archiveThread(meeting.threadId as string);
      }
      meeting = await this.#save({ ...meeting, status: 'ended' });
      const state = await this.#store.series.get(meeting.seriesId);
      if (state?.currentMeetingKey === key) {
        await this.#store.series.put({ seriesId: meeting.seriesId, lastMeetingKey: key, updatedAt: now });
      }
      // Late updates after the end are rare: the index is dropped and read again if one comes.
      this.#labels.delete(key);
      this.#updates.delete(key);
      this.#log.info({ meeting: key }, 'meeting ended');
      return { meeting, summary };
    });
  }

  /** Resolves when every queued write has finished (for shutdown). */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  // -------------------------------------------------------------------------------------------------

  async #meeting(key: MeetingKey): Promise<MeetingRecord | undefined> {
    const cached = this.#meetings.get(key);
    if (cached) return cached;
    const stored = await this.#store.meetings.get(key);
    if (stored) this.#meetings.set(key, stored);
    return stored;
  }

  #nameRecord(guildId: string, userId: string): Promise<NameRecord | undefined> {
    return readThrough(this.#names, `${guildId}:${userId}`, () => this.#store.names.get(guildId, userId));
  }

  #updatesOf(key: MeetingKey): Map<string, UpdateRecord | null> {
    let byUser = this.#updates.get(key);
    if (!byUser) {
      byUser = new Map();
      this.#updates.set(key, byUser);
    }
    return byUser;
  }

  #updateRecord(key: MeetingKey, userId: string): Promise<UpdateRecord | undefined> {
    return readThrough(this.#updatesOf(key), userId, () => this.#store.updates.get(key, userId));
  }

  async #requireMeeting(key: MeetingKey): Promise<MeetingRecord> {
    const meeting = await this.#meeting(key);
    if (!meeting) throw new UserError(`There is no meeting ${key}.`);
    return meeting;
  }

  #seriesOf(meeting: MeetingRecord): Series {
    const series = this.seriesById(meeting.seriesId);
    if (!series) throw new Error(`meeting ${meeting.key} belongs to series "${meeting.seriesId}", which the configuration no longer has`);
    return series;
  }

  /** A message posted before a crash (see DiscordPort.findOwnMessage); a failed look is logged and counts as not found. */
  async #findOwnMessage(channelId: string, content: string, afterMessageId?: string): Promise<string | null> {
    if (!this.#port.findOwnMessage) return null;
    try {
      const found = await this.#port.findOwnMessage(channelId, content, afterMessageId);
      if (found !== null) this.#log.info({ channelId, messageId: found }, 'message posted before a restart found again');
      return found;
    } catch (error) {
      this.#log.warn({ channelId, err: error }, 'could not look for a message posted before a restart; posting it');
      return null;
    }
  }

  async #save(meeting: MeetingRecord): Promise<MeetingRecord> {
    const saved = { ...meeting, updatedAt: this.#clock.now().toISOString() };
    await this.#store.meetings.put(saved);
    this.#meetings.set(saved.key, saved);
    return saved;
  }
}

/** An update grown by `/update text` must stay within what the form holds, or its owner could no longer edit it. */
function assertFitsTheForm(update: Update): void {
  if (update.bullets.length > MAX_UPDATE_BULLETS) {
    throw new UserError(`That would make ${update.bullets.length} bullets; the limit is ${MAX_UPDATE_BULLETS}. Run /update without text to edit the whole update.`);
  }
  const length = [...formatUpdate(update)].length;
  if (length > MAX_UPDATE_CHARS) {
    throw new UserError(
      `That would make the update ${length.toLocaleString('en-US')} characters long; the limit is ${MAX_UPDATE_CHARS.toLocaleString('en-US')}. Run /update without text to shorten it.`,
    );
  }
}

/**
 * A read through one of the service's caches (null: known to be absent). Reads run outside the
 * meeting's queue (the form's pre-fill), so a write that landed while one was under way is newer than
 * what the read saw, and stays.
 */
async function readThrough<T>(cache: Map<string, T | null>, slot: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
  const cached = cache.get(slot);
  if (cached !== undefined) return cached ?? undefined;
  const stored = await read();
  if (!cache.has(slot)) cache.set(slot, stored ?? null);
  return stored;
}
