import { Events, type Client } from 'discord.js';
import type { Logger } from '../log.ts';
import type { MeetingService } from '../meetings/service.ts';

/** A meeting thread deleted on Discord: the meeting goes on in a new one (recover-thread.ts). */
export function trackThreads(client: Client, service: MeetingService, log: Logger): void {
  client.on(Events.ThreadDelete, (thread) => {
    service
      .threadDeleted(thread.id)
      .catch((error: unknown) => log.error({ err: error, threadId: thread.id }, 'could not recover from a deleted meeting thread'));
  });
}
