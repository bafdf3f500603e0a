import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelType, Client, DiscordAPIError, GatewayIntentBits as I, type TextChannel } from 'discord.js';
import { startEmulator, type Emulator, type SeededGuild } from '../emulator/index.ts';
import { cachedTextChannel, makeClient } from '../emulator/client.ts';

let emu: Emulator;
let g: SeededGuild;
let client: Client;

beforeAll(async () => {
  emu = await startEmulator({ heartbeatIntervalMs: 250 });
  g = emu.seedGuild();
  client = await makeClient(emu, [I.Guilds]);
});
afterAll(async () => {
  await client?.destroy();
  await emu?.close();
});

function text(id: string): TextChannel {
  return cachedTextChannel(client, id);
}

async function apiError(p: Promise<unknown>): Promise<DiscordAPIError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(err)}`);
  return err;
}

describe('threads', () => {
  it('creates a thread under a text channel, posts in it, archives it', async () => {
    const thread = await text(g.textChannelId).threads.create({ name: 'Hackathon 2022-03-19', autoArchiveDuration: 1440 });
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(g.textChannelId);
    expect(thread.guildId).toBe(g.guildId);
    await thread.send('Post your update with /update');
    await thread.setArchived(true);

    const stored = emu.threads(g.textChannelId).find((t) => t.id === thread.id);
    expect(stored?.name).toBe('Hackathon 2022-03-19');
    expect(stored?.thread?.archived).toBe(true);
    expect(stored?.thread?.autoArchiveDuration).toBe(1440);
    expect(emu.messages(thread.id).map((m) => m.content)).toEqual(['Post your update with /update']);
    // THREAD_UPDATE reached the client's cache.
    await expect.poll(() => client.channels.cache.get(thread.id)?.isThread() && (client.channels.cache.get(thread.id) as typeof thread).archived).toBe(true);
  });

  it('refuses a thread under a voice channel with 50024', async () => {
    const err = await apiError(client.rest.post(`/channels/${g.voiceChannelId}/threads`, { body: { name: 'nope', type: 11, auto_archive_duration: 60 } }));
    expect(err.status).toBe(400);
    expect(err.code).toBe(50024);
    expect(emu.threads(g.voiceChannelId)).toHaveLength(0);
  });

  it('starts a thread from a message (thread id = message id), renames and locks it', async () => {
    const msg = await text(g.textChannelId).send('Meeting starts');
    const thread = await msg.startThread({ name: 'from message' });
    expect(thread.id).toBe(msg.id);
    await thread.setName('renamed');
    await thread.setLocked(true);
    const stored = emu.channel(thread.id);
    expect(stored?.name).toBe('renamed');
    expect(stored?.thread?.locked).toBe(true);
    expect(emu.message(msg.id)?.threadId).toBe(thread.id);
    const again = await apiError(msg.startThread({ name: 'second' }));
    expect(again.code).toBe(160004);
  });

  it('fetches a channel and its messages', async () => {
    const thread = await text(g.textChannelId).threads.create({ name: 'history' });
    for (const n of [1, 2, 3]) await thread.send(`message ${n}`);
    const fetched = await client.channels.fetch(thread.id, { force: true });
    expect(fetched?.id).toBe(thread.id);
    const messages = await thread.messages.fetch({ limit: 2 });
    expect([...messages.values()].map((m) => m.content)).toEqual(['message 3', 'message 2']);
  });
});
