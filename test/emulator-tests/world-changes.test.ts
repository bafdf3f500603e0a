/** A moderator deleting a thread, or an admin changing a role's permissions or a channel's overwrites, as the bot sees it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, DiscordAPIError, Events, GatewayIntentBits as I, PermissionFlagsBits, type ThreadChannel } from 'discord.js';
import { INVITE_PERMISSIONS, Perm, startEmulator, type Emulator, type SeededGuild } from '../emulator/index.ts';
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

async function apiError(p: Promise<unknown>): Promise<DiscordAPIError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(err)}`);
  return err;
}

function canSendInThread(thread: ThreadChannel): boolean | undefined {
  const me = thread.guild.members.me;
  return me ? thread.permissionsFor(me)?.has(PermissionFlagsBits.SendMessagesInThreads) : undefined;
}

describe('world changes driven by a test', () => {
  it('deleteChannel: THREAD_DELETE reaches the client, the thread and its messages are gone, REST answers 10003', async () => {
    const thread = await cachedTextChannel(client, g.textChannelId).threads.create({ name: 'to be deleted', autoArchiveDuration: 1440 });
    await thread.send('hello');
    const deleted = new Promise<string>((resolve) => client.once(Events.ThreadDelete, (t) => resolve(t.id)));
    emu.deleteChannel(thread.id);
    expect(await deleted).toBe(thread.id);
    expect(client.channels.cache.has(thread.id)).toBe(false);
    expect(emu.channel(thread.id)).toBeUndefined();
    expect(emu.messages(thread.id)).toEqual([]);
    const log = emu.gatewayLog().find((e) => e.dir === 'out' && e.t === 'THREAD_DELETE');
    expect(log?.d).toEqual({ id: thread.id, guild_id: g.guildId, parent_id: g.textChannelId, type: 11 });
    const err = await apiError(client.rest.post(`/channels/${thread.id}/messages`, { body: { content: 'anyone?' } }));
    expect([err.status, err.code]).toEqual([404, 10003]);
  });

  it("setOverwrites: the parent's overwrites reach the client and apply to its threads; taken back, sending works again", async () => {
    const thread = await cachedTextChannel(client, g.textChannelId).threads.create({ name: 'overwritten', autoArchiveDuration: 1440 });
    expect(canSendInThread(thread)).toBe(true);
    emu.setOverwrites(g.textChannelId, [{ id: g.botRoleId, type: 'role', deny: Perm.SendMessagesInThreads }]);
    await expect.poll(() => canSendInThread(thread)).toBe(false);
    const err = await apiError(thread.send('refused'));
    expect([err.status, err.code]).toEqual([403, 50013]);
    emu.setOverwrites(g.textChannelId, []);
    await expect.poll(() => canSendInThread(thread)).toBe(true);
    await thread.send('allowed again');
    expect(emu.messages(thread.id).map((m) => m.content)).toEqual(['allowed again']);
    expect(() => emu.setOverwrites(thread.id, [])).toThrow(/thread/);
  });

  it("updateRole: a role's new permissions reach the client and Discord's checks", async () => {
    const thread = await cachedTextChannel(client, g.textChannelId).threads.create({ name: 'role change', autoArchiveDuration: 1440 });
    // @everyone grants it too in a new server: both roles lose it.
    const everyone = emu.state.roles.get(g.everyoneRoleId)?.permissions ?? 0n;
    emu.updateRole(g.guildId, g.everyoneRoleId, { permissions: everyone & ~Perm.SendMessagesInThreads });
    emu.updateRole(g.guildId, g.botRoleId, { permissions: INVITE_PERMISSIONS & ~Perm.SendMessagesInThreads });
    await expect.poll(() => canSendInThread(thread)).toBe(false);
    const err = await apiError(thread.send('refused'));
    expect(err.code).toBe(50013);
    emu.updateRole(g.guildId, g.botRoleId, { permissions: INVITE_PERMISSIONS });
    await expect.poll(() => canSendInThread(thread)).toBe(true);
    emu.updateRole(g.guildId, g.everyoneRoleId, { permissions: everyone });
    expect(emu.state.roles.get(g.botRoleId)?.permissions).toBe(INVITE_PERMISSIONS);
  });
});
