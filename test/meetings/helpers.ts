import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.ts';
import { parseConfigFile, type Series } from '../../src/config.ts';
import { MeetingService } from '../../src/meetings/service.ts';
import type { Store } from '../../src/meetings/records.ts';
import { openStore } from '../../src/store/index.ts';
import { FakePort } from './fake-port.ts';

const example = readFileSync(new URL('../../config/example.yaml', import.meta.url), 'utf8');

/** The example config's hackathon series, with overrides. */
export function hackathon(overrides: Partial<Series> = {}): Series {
  const [series] = parseConfigFile(example);
  if (!series) throw new Error('example.yaml has no series');
  return { ...series, ...overrides };
}

export const GUILD = '100000000000000001';
export const VOICE = '100000000000000002';
export const TEXT = '100000000000000003';

export interface World {
  store: Store;
  port: FakePort;
  clock: ManualClock;
  series: Series;
  service: MeetingService;
  /** A second service over the same store and port: the bot after a restart. */
  restart(options?: { messageLimit?: number }): MeetingService;
  close(): Promise<void>;
}

export async function world(options: { start: string; series?: Series; messageLimit?: number }): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'scribe-meetings-'));
  const store = await openStore(`sqlite://${join(dir, 'scribe.sqlite')}`);
  const port = new FakePort();
  port.channelNames.set(VOICE, 'monkey-business');
  const clock = new ManualClock(options.start);
  const series = options.series ?? hackathon();
  const make = (limit?: number) => new MeetingService({ store, port, clock, series: [series], ...(limit !== undefined ? { messageLimit: limit } : {}) });
  const service = make(options.messageLimit);
  return {
    store,
    port,
    clock,
    series,
    service,
    restart: (o = {}) => make(o.messageLimit ?? options.messageLimit),
    close: async () => {
      await service.drain();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const member = (userId: string, displayName: string, extra: { nick?: string; bot?: boolean } = {}) => ({
  userId,
  displayName,
  bot: extra.bot ?? false,
  ...(extra.nick !== undefined ? { nick: extra.nick } : {}),
});

export const subject = (userId: string, displayName: string, nick?: string) => ({
  userId,
  identity: nick === undefined ? { displayName } : { nick, displayName },
});
