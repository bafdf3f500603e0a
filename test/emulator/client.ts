// Builds a real discord.js Client pointed at an emulator and logs it in (for tests).
import { ChannelType, Client, Events, type ClientOptions, type TextChannel } from 'discord.js';
import type { Emulator } from './index.ts';

export interface MakeClientOptions {
  /** Extra discord.js client options (rest.api and waitGuildTimeout are set for the emulator unless given). */
  client?: Partial<ClientOptions>;
  /** Log in and wait for clientReady (default true). */
  login?: boolean;
  /** Rejects if not ready within this time (default 10,000 ms). */
  readyTimeoutMs?: number;
}

/** A discord.js Client for `emulator`, logged in and ready unless `login: false`. Destroy it after the test. */
export async function makeClient(emulator: Emulator, intents: ClientOptions['intents'], opts: MakeClientOptions = {}): Promise<Client> {
  const extra = opts.client ?? {};
  const client = new Client({
    waitGuildTimeout: 200,
    ...extra,
    intents,
    rest: { ...extra.rest, api: emulator.restUrl },
  });
  if (opts.login === false) return client;
  await loginAndWait(client, emulator.token, opts.readyTimeoutMs ?? 10_000);
  return client;
}

/** Logs in and resolves on clientReady. */
export async function loginAndWait(client: Client, token: string, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    timer = setTimeout(() => reject(new Error(`client not ready within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await client.login(token);
    await ready;
  } finally {
    clearTimeout(timer);
  }
}

/** A text channel from the client's cache, or an error saying it is not one. */
export function cachedTextChannel(client: Client, id: string): TextChannel {
  const c = client.channels.cache.get(id);
  if (!c || c.type !== ChannelType.GuildText) throw new Error(`${id} is not a cached text channel`);
  return c;
}
