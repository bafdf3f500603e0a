import type { Client } from 'discord.js';
import type { Clock } from '../clock.ts';
import type { Config, Series } from '../config.ts';
import type { Logger } from '../log.ts';
import type { MeetingService } from '../meetings/service.ts';
import type { MeetingRecord } from '../store/records.ts';
import type { QuietGate } from '../quiet-gate.ts';

/** What a command handler may use. Built once at start-up. */
export interface BotContext {
  readonly config: Config;
  readonly service: MeetingService;
  readonly log: Logger;
  readonly clock: Clock;
  readonly client: Client;
  /** Where work that may wait for arrivals to pause is held: form submissions' work and "Saved" edits. */
  readonly gate: QuietGate;
  /** Called after a meeting is opened by hand, so that its end and reminder are scheduled. */
  readonly meetingOpened: (series: Series, meeting: MeetingRecord) => void;
}
