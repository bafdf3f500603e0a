/**
 * The schedule: one node-cron job per distinct `open` and time zone opens the meetings of the series
 * that share them (a host's communities often meet at the same hour: one job and one calendar matcher,
 * not thousands); the end (and the reminder before it) are timers armed from the meeting's stored
 * `endsAt`, so they are re-armed identically after a restart. At start-up `catchUp` resumes what the
 * store says: a meeting past its end is ended, one still running gets its timers and its attendance
 * re-synced, and a scheduled open missed while the bot was down is made up if its window is still open.
 *
 * node-cron fires an open on ordinary days only: it skips a day whose open time falls in a spring-forward
 * gap, and fires one of the two occurrences of a fall-back day's (the second in Europe/Berlin). Those
 * opens are fired here, at the calendar's instant (past the gap; the first of the two), and a node-cron
 * fire outside any meeting's window (a repeated hour) opens nothing. A meeting is keyed by its local
 * date, so a day's two fires open it once.
 *
 * A failed open or end (Discord or the store away) is retried every `retryMs` while it still matters.
 */
import nodeCron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.ts';
import type { Series } from '../config.ts';
import type { MeetingKey, MeetingRecord } from '../meetings/records.ts';
import { nextScheduledOpen, openWindowAt, reminderAt, scheduleMatcher, type Matcher } from './calendar.ts';
import { realTimers, type Timers } from './timers.ts';

/** The part of MeetingService the schedule drives. */
export interface ScheduledMeetings {
  openMeeting(series: Series, localDate: string): Promise<{ meeting: MeetingRecord; created: boolean }>;
  endMeeting(key: MeetingKey): Promise<unknown>;
  sendReminder(key: MeetingKey): Promise<unknown>;
  currentMeeting(series: Series): Promise<MeetingRecord | undefined>;
  syncAttendance(key: MeetingKey): Promise<void>;
  /** Completes a summary revision a crash cut short (optional: fakes in tests may leave it out). */
  postSummary?(key: MeetingKey): Promise<unknown>;
}

export interface SchedulerLog {
  info(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface SchedulerOptions {
  readonly meetings: ScheduledMeetings;
  readonly clock: Clock;
  readonly series: readonly Series[];
  /** Only series of guilds this process owns get jobs (sharding); default all. */
  readonly ownsGuild?: (guildId: string) => boolean;
  readonly timers?: Timers;
  readonly log?: SchedulerLog;
  /** Delay before a failed open or end is tried again; default one minute. */
  readonly retryMs?: number;
}

/** `open`: an open node-cron will not fire at its instant; `look-ahead`: when to look for the next such open. */
type TimerKind = 'end' | 'reminder' | 'retry-open' | 'retry-end' | 'open' | 'look-ahead';

/** Opens are looked ahead for at least daily: setTimeout cannot wait longer than 24.8 days. */
const LOOK_AHEAD_MS = 86_400_000;

interface Schedule {
  readonly task: ScheduledTask;
  readonly matcher: Matcher & { close(): void };
}

interface ArmedTimer {
  readonly seriesId: string;
  readonly kind: TimerKind;
  readonly at: Date;
  readonly handle: unknown;
  readonly token: object;
}

export class Scheduler {
  readonly #meetings: ScheduledMeetings;
  readonly #clock: Clock;
  readonly #series: readonly Series[];
  readonly #timers: Timers;
  readonly #log: SchedulerLog;
  readonly #retryMs: number;
  /** The schedule of each series, by series id: its cron job and calendar matcher, one per distinct `open` and time zone. */
  readonly #scheduleOf = new Map<string, Schedule>();
  readonly #armed = new Map<string, ArmedTimer>();
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#meetings = options.meetings;
    this.#clock = options.clock;
    const owns = options.ownsGuild ?? (() => true);
    this.#series = options.series.filter((s) => owns(s.guild));
    this.#timers = options.timers ?? realTimers;
    this.#log = options.log ?? { info: () => undefined, error: () => undefined };
    this.#retryMs = options.retryMs ?? 60_000;
  }

  /** Creates the cron jobs, then catches up with what happened while the bot was not running. */
  async start(): Promise<void> {
    this.#stopped = false;
    const bySchedule = new Map<string, { open: string; timeZone: string; sharing: Series[] }>();
    for (const series of this.#series) {
      const schedule = `${series.open}\n${series.timeZone}`;
      const group = bySchedule.get(schedule);
      if (group) group.sharing.push(series);
      else bySchedule.set(schedule, { open: series.open, timeZone: series.timeZone, sharing: [series] });
    }
    for (const { open, timeZone, sharing } of bySchedule.values()) {
      const task = nodeCron.schedule(open, () => Promise.all(sharing.map((series) => this.onOpen(series))), {
        timezone: timeZone,
        name: `scribe-open ${open} ${timeZone}`,
        noOverlap: true,
      });
      const shared = { task, matcher: scheduleMatcher({ open, timeZone }) };
      for (const series of sharing) this.#scheduleOf.set(series.id, shared);
    }
    for (const series of this.#series) this.#lookAhead(series);
    await this.catchUp();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const { task, matcher } of new Set(this.#scheduleOf.values())) {
      await task.destroy();
      matcher.close();
    }
    this.#scheduleOf.clear();
    for (const armed of this.#armed.values()) this.#timers.clear(armed.handle);
    this.#armed.clear();
  }

  /** The cron job of a series, shared with the series of the same schedule (tests trigger it with `execute()`). */
  task(seriesId: string): ScheduledTask | undefined {
    return this.#scheduleOf.get(seriesId)?.task;
  }

  /** The timers armed now, for status and tests. */
  armed(): { seriesId: string; kind: TimerKind; at: Date }[] {
    return [...this.#armed.values()].map(({ seriesId, kind, at }) => ({ seriesId, kind, at }));
  }

  /** The cron job's handler: opens the series' meeting of the window that is open now, if any. */
  async onOpen(series: Series): Promise<void> {
    const now = this.#clock.now();
    const localDate = openWindowAt(series, now, this.#matcher(series))?.localDate;
    if (localDate === undefined) {
      // node-cron firing a fall-back day's second occurrence after the first's meeting window closed.
      this.#log.info({ series: series.id }, 'cron fired outside any scheduled window; nothing to open');
      return;
    }
    try {
      const { meeting, created } = await this.#meetings.openMeeting(series, localDate);
      this.#log.info({ series: series.id, meeting: meeting.key, created }, 'scheduled open');
      this.#arm(series, meeting);
    } catch (error) {
      this.#log.error({ series: series.id, err: error }, 'scheduled open failed; will retry');
      const window = openWindowAt(series, this.#clock.now(), this.#matcher(series));
      if (window?.localDate === localDate) this.#schedule(series.id, 'retry-open', new Date(now.getTime() + this.#retryMs), () => this.onOpen(series));
    }
  }

  /**
   * Arms the next open node-cron will not fire at its instant (a clock-change day) as an `open` timer,
   * or, when the next open is an ordinary one, a `look-ahead` for once it has passed (at most a day).
   */
  #lookAhead(series: Series): void {
    const now = this.#clock.now();
    let next;
    try {
      next = nextScheduledOpen(series, now, this.#matcher(series));
    } catch (error) {
      // Not expected (the config is validated); a timer must not throw, and node-cron still fires.
      this.#log.error({ series: series.id, err: error }, 'look-ahead for clock-change days failed');
      return;
    }
    if (!next) return;
    const horizon = now.getTime() + LOOK_AHEAD_MS;
    if (next.wall !== 'once' && next.instant.getTime() <= horizon) {
      this.#cancel(series.id, 'look-ahead');
      const at = next.instant;
      this.#schedule(series.id, 'open', at, async () => {
        // A timer may fire a little early; the open's window starts at its instant.
        if (this.#clock.now().getTime() >= at.getTime()) await this.onOpen(series);
        this.#lookAhead(series);
      });
    } else {
      this.#cancel(series.id, 'open');
      const at = Math.min(next.instant.getTime() + 1000, horizon);
      this.#schedule(series.id, 'look-ahead', new Date(at), () => Promise.resolve(this.#lookAhead(series)));
    }
  }

  /** Start-up: end overdue meetings, re-arm running ones, open a missed one whose window is open. */
  async catchUp(): Promise<void> {
    for (const series of this.#series) await this.#tryCatchUp(series);
  }

  async #tryCatchUp(series: Series): Promise<void> {
    try {
      await this.#catchUpSeries(series);
    } catch (error) {
      this.#log.error({ series: series.id, err: error }, 'catch-up failed; will retry');
      this.#schedule(series.id, 'retry-open', new Date(this.#clock.now().getTime() + this.#retryMs), () => this.#tryCatchUp(series));
    }
  }

  async #catchUpSeries(series: Series): Promise<void> {
    const now = this.#clock.now();
    const current = await this.#meetings.currentMeeting(series);
    if (current) {
      // Past its end, or its end begun (`endedAt` is recorded first) and cut short by a crash.
      if (Date.parse(current.endsAt) <= now.getTime() || current.endedAt !== undefined) {
        await this.onEnd(series, current.key);
      } else {
        // An `opening` left by a crash is completed by opening again (idempotent).
        const meeting = current.status === 'opening' ? (await this.#meetings.openMeeting(series, current.localDate)).meeting : current;
        await this.#meetings.syncAttendance(meeting.key);
        // A summary cut short by a crash is completed now rather than left half-posted.
        // Not while its thread is out of reach (recorded; /summary completes it then): the end must still be armed.
        if (meeting.summary !== undefined && meeting.summary.completedAt === undefined && meeting.threadLost === undefined) {
          await this.#meetings.postSummary?.(meeting.key);
        }
        this.#arm(series, meeting);
        return;
      }
    }
    const window = openWindowAt(series, now, this.#matcher(series));
    if (window) {
      const { meeting } = await this.#meetings.openMeeting(series, window.localDate);
      // Already ended (e.g. ended by hand before the restart): nothing to arm.
      if (meeting.status !== 'ended') this.#arm(series, meeting);
    }
  }

  /** A meeting opened outside the schedule (`/meeting start`): arm its end and reminder. */
  meetingOpened(series: Series, meeting: MeetingRecord): void {
    if (this.#series.some((s) => s.id === series.id)) this.#arm(series, meeting);
  }

  /** The end timer's handler. */
  async onEnd(series: Series, key: MeetingKey): Promise<void> {
    try {
      await this.#meetings.endMeeting(key);
      this.#log.info({ series: series.id, meeting: key }, 'scheduled end');
    } catch (error) {
      this.#log.error({ series: series.id, meeting: key, err: error }, 'scheduled end failed; will retry');
      this.#schedule(series.id, 'retry-end', new Date(this.#clock.now().getTime() + this.#retryMs), () => this.onEnd(series, key));
    }
  }

  async onReminder(series: Series, key: MeetingKey): Promise<void> {
    try {
      await this.#meetings.sendReminder(key);
    } catch (error) {
      // A reminder is a courtesy: not retried, so nobody is pinged late or twice.
      this.#log.error({ series: series.id, meeting: key, err: error }, 'reminder failed');
    }
  }

  #arm(series: Series, meeting: MeetingRecord): void {
    if (meeting.status === 'ended') return;
    const endsAt = new Date(meeting.endsAt);
    this.#schedule(series.id, 'end', endsAt, () => this.onEnd(series, meeting.key));
    const remindAt = reminderAt(series, endsAt);
    if (remindAt && meeting.reminderSentAt === undefined && remindAt.getTime() > this.#clock.now().getTime()) {
      this.#schedule(series.id, 'reminder', remindAt, () => this.onReminder(series, meeting.key));
    }
  }

  /** The series' schedule's matcher while the schedule runs (the calendar builds one per call otherwise). */
  #matcher(series: Series): Matcher | undefined {
    return this.#scheduleOf.get(series.id)?.matcher;
  }

  #cancel(seriesId: string, kind: TimerKind): void {
    const armed = this.#armed.get(`${seriesId}:${kind}`);
    if (armed) this.#timers.clear(armed.handle);
    this.#armed.delete(`${seriesId}:${kind}`);
  }

  /** One timer per series and kind: arming again replaces the earlier one. */
  #schedule(seriesId: string, kind: TimerKind, at: Date, run: () => Promise<void>): void {
    if (this.#stopped) return;
    const id = `${seriesId}:${kind}`;
    const previous = this.#armed.get(id);
    if (previous) this.#timers.clear(previous.handle);
    const delay = Math.max(0, at.getTime() - this.#clock.now().getTime());
    const token = {};
    const handle = this.#timers.set(() => {
      if (this.#armed.get(id)?.token === token) this.#armed.delete(id);
      void run();
    }, delay);
    this.#armed.set(id, { seriesId, kind, at, handle, token });
  }
}
