/**
 * The meeting core behind one object, for the commands, the schedule and voice tracking. Each method
 * is one use case, in a file of its own; this only holds what they share (see context.ts).
 */
import type { Clock } from '../clock.ts';
import type { Series } from '../config.ts';
import { nextOpen } from '../schedule/calendar.ts';
import type { MeetingContext, MeetingEvents, MeetingLog } from './context.ts';
import { noEvents, requireMeeting } from './context.ts';
import { endMeeting } from './end-meeting.ts';
import { currentMeeting, localDateNow, meetingForChannel, seriesForChannel } from './find-meeting.ts';
import { nameOf, setName } from './member-names.ts';
import { openMeeting } from './open-meeting.ts';
import type { DiscordPort, VoiceMember } from './ports.ts';
import { compile, meetingStatus } from './post-notes.ts';
import { postSummary, remind } from './thread-steps.ts';
import { threadDeleted, threadState, type ThreadState } from './recover-thread.ts';
import { NotesPublishing, type PublishingOptions, type PublishOutcome } from './publish-notes.ts';
import { ClaimOwner } from './claim.ts';
import { KeyedQueue } from './queue.ts';
import type { MeetingKey, MeetingRecord, MemberIdentity, Store } from './records.ts';
import { KeyedBatches } from './batches.ts';
import { currentUpdateText, recordUpdate, recordUpdates, removeUpdate, type RecordUpdateInput } from './record-update.ts';
import { addAgendaItem, agenda, agendaMeetingKey, moveAgendaItem, removeAgendaItem } from './discussion-agenda.ts';
import { addDecision, addNote, addTask, type DecisionInput, type NoteInput, type TaskInput } from './discussion-notes.ts';
import { syncAttendance, voiceJoin, voiceLeave, voiceStateChanged, type VoiceChange } from './voice-attendance.ts';

export type { MeetingLog } from './context.ts';
export type { CompiledMeeting, MeetingStatusReport, SummaryResult } from './post-notes.ts';
export type { RecordedUpdate, RecordUpdateInput, Subject } from './record-update.ts';
export type { VoiceChange } from './voice-attendance.ts';
export type { ThreadState } from './recover-thread.ts';
export type { EndedMeeting } from './end-meeting.ts';
export { ChannelUnavailableError } from './port-errors.ts';
export type { DecisionInput, Given, NoteInput, TaskInput } from './discussion-notes.ts';
export type { PublishOutcome, PublishingOptions } from './publish-notes.ts';

/** Discord's message length limit. */
export const DISCORD_MESSAGE_LIMIT = 2000;

const silentLog: MeetingLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface MeetingServiceOptions {
  readonly store: Store;
  readonly port: DiscordPort;
  readonly clock: Clock;
  readonly series: readonly Series[];
  readonly log?: MeetingLog;
  /** Told what happens (updates stored, notes posted), for metrics; default nobody. */
  readonly events?: MeetingEvents;
  /** A name for this process that a restart keeps (host and shards), so that it takes back its own claims at once. */
  readonly processName?: string;
  /** Longest message posted; default Discord's 2,000. */
  readonly messageLimit?: number;
  /** Publishing the notes to the series' repositories (issue 23); left out, nothing is published. */
  readonly publish?: PublishingOptions;
}

export class MeetingService {
  readonly series: readonly Series[];
  readonly #ctx: MeetingContext;
  readonly #publishing: NotesPublishing | undefined;

  constructor(options: MeetingServiceOptions) {
    this.series = options.series;
    const queue = new KeyedQueue();
    const log = options.log ?? silentLog;
    const { store, clock, port, series } = options;
    const claimOwner = new ClaimOwner(options.processName);
    this.#publishing = options.publish && new NotesPublishing({ ...options.publish, store, clock, log, port, series, claimOwner });
    const ctx: MeetingContext = {
      store: options.store,
      port: options.port,
      clock: options.clock,
      series: options.series,
      log: options.log ?? silentLog,
      events: options.events ?? noEvents,
      claimOwner,
      messageLimit: options.messageLimit ?? DISCORD_MESSAGE_LIMIT,
      queue,
      updates: new KeyedBatches(queue, (key, inputs) => recordUpdates(ctx, key, inputs)),
      blocks: new Map(),
      ...(this.#publishing === undefined ? {} : { publishing: this.#publishing }),
    };
    this.#ctx = ctx;
  }

  seriesById(seriesId: string): Series | undefined {
    return this.series.find((s) => s.id === seriesId);
  }

  seriesForChannel(channelId: string): Series | undefined {
    return seriesForChannel(this.#ctx, channelId);
  }

  localDateNow(series: Series): string {
    return localDateNow(this.#ctx, series);
  }

  nextOpen(series: Series): Date | undefined {
    return nextOpen(series, this.#ctx.clock.now());
  }

  getMeeting(key: MeetingKey): Promise<MeetingRecord | undefined> {
    return this.#ctx.store.meetings.get(key);
  }

  currentMeeting(series: Series): Promise<MeetingRecord | undefined> {
    return currentMeeting(this.#ctx, series);
  }

  meetingForChannel(channelId: string): Promise<MeetingRecord | undefined> {
    return meetingForChannel(this.#ctx, channelId);
  }

  openMeeting(series: Series, localDate?: string): Promise<{ meeting: MeetingRecord; created: boolean }> {
    return openMeeting(this.#ctx, series, localDate);
  }

  currentUpdateText(key: MeetingKey, userId: string): Promise<string> {
    return currentUpdateText(this.#ctx, key, userId);
  }

  recordUpdate(key: MeetingKey, input: RecordUpdateInput) {
    return recordUpdate(this.#ctx, key, input);
  }

  removeUpdate(key: MeetingKey, userId: string): Promise<boolean> {
    return removeUpdate(this.#ctx, key, userId);
  }

  setName(guildId: string, userId: string, raw: string) {
    return setName(this.#ctx, guildId, userId, raw);
  }

  nameOf(guildId: string, userId: string, identity: MemberIdentity) {
    return nameOf(this.#ctx, guildId, userId, identity);
  }

  voiceStateChanged(change: VoiceChange): Promise<void> {
    return voiceStateChanged(this.#ctx, change);
  }

  voiceJoin(key: MeetingKey, member: VoiceMember): Promise<void> {
    return voiceJoin(this.#ctx, key, member);
  }

  voiceLeave(key: MeetingKey, userId: string): Promise<void> {
    return voiceLeave(this.#ctx, key, userId);
  }

  syncAttendance(key: MeetingKey): Promise<void> {
    return syncAttendance(this.#ctx, key);
  }

  async compile(key: MeetingKey) {
    return compile(this.#ctx, await requireMeeting(this.#ctx, key));
  }

  status(key: MeetingKey) {
    return meetingStatus(this.#ctx, key);
  }

  postSummary(key: MeetingKey, options: { force?: boolean } = {}) {
    return postSummary(this.#ctx, key, options);
  }

  sendReminder(key: MeetingKey) {
    return remind(this.#ctx, key);
  }

  /** Discord deleted a thread: if it was a running meeting's, the meeting goes on in a new one. */
  threadDeleted(threadId: string): Promise<void> {
    return threadDeleted(this.#ctx, threadId);
  }

  /** The meeting's thread for a command's answer, recovered now if it was lost and can be. */
  threadState(key: MeetingKey): Promise<ThreadState> {
    return threadState(this.#ctx, key);
  }

  /** Ends the meeting, then publishes its final notes (a failed publish is in `publish`, never thrown). */
  async endMeeting(key: MeetingKey, options: { interactive?: boolean } = {}) {
    const ended = await endMeeting(this.#ctx, key);
    const publish: PublishOutcome = this.#publishing ? await this.#publishing.run(key, options) : { status: 'off' };
    return { ...ended, publish };
  }

  /** `/summary publish:true`: posts the current notes (a new revision if they changed) and publishes that revision. */
  async publishSummary(key: MeetingKey) {
    const summary = await postSummary(this.#ctx, key);
    const requested = (await this.#publishing?.request(summary.compiled.meeting, summary.compiled.text, summary.revision)) ?? false;
    const publish: PublishOutcome = requested && this.#publishing ? await this.#publishing.run(key, { interactive: true }) : { status: 'off' };
    return { summary, publish };
  }

  /** What was published of the meeting, and where. */
  publishRecord(key: MeetingKey) {
    return this.#ctx.store.publishes.get(key);
  }

  /** At start: finishes the publishes a stop or a crash left pending. */
  resumePublishing(): Promise<void> {
    return this.#publishing?.resumePending() ?? Promise.resolve();
  }

  // The discussion layout (template: discussion).

  agendaMeetingKey(series: Series): Promise<MeetingKey> {
    return agendaMeetingKey(this.#ctx, series);
  }

  agenda(key: MeetingKey) {
    return agenda(this.#ctx, key);
  }

  addAgendaItem(key: MeetingKey, text: string, by: string) {
    return addAgendaItem(this.#ctx, key, text, by);
  }

  moveAgendaItem(key: MeetingKey, from: number, to: number) {
    return moveAgendaItem(this.#ctx, key, from, to);
  }

  removeAgendaItem(key: MeetingKey, position: number) {
    return removeAgendaItem(this.#ctx, key, position);
  }

  addNote(key: MeetingKey, input: NoteInput) {
    return addNote(this.#ctx, key, input);
  }

  addTask(key: MeetingKey, input: TaskInput) {
    return addTask(this.#ctx, key, input);
  }

  addDecision(key: MeetingKey, input: DecisionInput) {
    return addDecision(this.#ctx, key, input);
  }

  /** Resolves when every queued write has finished (for shutdown). */
  drain(): Promise<void> {
    this.#publishing?.stop();
    return this.#ctx.queue.drain();
  }
}
