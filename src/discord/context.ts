import type { Client } from 'discord.js';
import type { Clock } from '../clock.ts';
import type { Config, Series } from '../config.ts';
import type { Logger } from '../log.ts';
import type { MeetingRecord } from '../meetings/records.ts';
import type { MeetingService } from '../meetings/service.ts';
import type { Metrics } from '../metrics/metrics.ts';

/** What a command handler may use. Built once at start-up. */
export interface BotContext {
  readonly config: Config;
  readonly service: MeetingService;
  readonly log: Logger;
  readonly clock: Clock;
  readonly client: Client;
  /** Called after a meeting is opened by hand, so that its end and reminder are scheduled. */
  readonly meetingOpened: (series: Series, meeting: MeetingRecord) => void;
  readonly metrics: Metrics;
}
