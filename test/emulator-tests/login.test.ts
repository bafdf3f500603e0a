import { Agent, get as httpGet } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelType, Client, GatewayIntentBits as I, REST } from 'discord.js';
import { WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { makeClient } from '../emulator/client.ts';

let emu: Emulator | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await emu?.close();
  emu = undefined;
});

describe('login', () => {
  it('reaches ready with the seeded guild in discord.js caches', async () => {
    // GuildMembers is privileged: the application must have it enabled. With it (and no presences) GUILD_CREATE
    // still lists only the bot and the members in voice under guildCreateMembers; this test reads the full list.
    emu = await startEmulator({ heartbeatIntervalMs: 250, privilegedIntents: ['GuildMembers'], rules: { guildCreateMembers: false } });
    const g = emu.seedGuild();
    const started = performance.now();
    const client = await makeClient(emu, [I.Guilds, I.GuildVoiceStates, I.GuildMembers]);
    clients.push(client);
    const loginMs = performance.now() - started;
    console.log(`[emulator] login → clientReady: ${loginMs.toFixed(0)} ms`);

    expect(client.user?.id).toBe(emu.botUserId);
    expect(client.application?.id).toBe(emu.applicationId);
    const guild = client.guilds.cache.get(g.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(g.textChannelId)?.type).toBe(ChannelType.GuildText);
    expect(guild?.channels.cache.get(g.voiceChannelId)?.type).toBe(ChannelType.GuildVoice);
    expect(guild?.roles.cache.get(g.maintainerRoleId)?.name).toBe('Maintainer');
    expect(guild?.roles.everyone.id).toBe(g.guildId);
    expect(guild?.members.cache.get(g.members.maintainer)?.roles.cache.has(g.maintainerRoleId)).toBe(true);
    expect(guild?.members.cache.get(g.members.alice)?.nickname).toBe('ȘtefanJ');
    expect(guild?.members.me?.id).toBe(emu.botUserId);
    expect(guild?.voiceStates.cache.get(g.members.alice)?.channelId).toBe(g.voiceChannelId);
    // Login needs only GET /gateway/bot.
    expect(emu.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /gateway/bot']);
    // The issue asks for "under a second"; the bound here is generous, the figure is printed above.
    expect(loginMs).toBeLessThan(5000);
  });

  it('answers 401 to a wrong token and discord.js refuses to log in', async () => {
    emu = await startEmulator();
    emu.seedGuild();
    const client = await makeClient(emu, [I.Guilds], { login: false });
    clients.push(client);
    await expect(client.login('wrong.token.value')).rejects.toThrow(/token/i);
    const req = await emu.waitForRequest((r) => r.path === '/gateway/bot');
    expect(req.status).toBe(401);
    expect(emu.violations().map((v) => v.kind)).toContain('unauthorized');
  });

  it('keeps state across a bot restart (destroy, then a new client logs in)', async () => {
    emu = await startEmulator({ heartbeatIntervalMs: 250 });
    const g = emu.seedGuild();
    const first = await makeClient(emu, [I.Guilds]);
    await first.application?.commands.set([{ name: 'update', description: 'Post your update' }]);
    const channel = first.channels.cache.get(g.textChannelId);
    if (!channel || channel.type !== ChannelType.GuildText) throw new Error('no text channel');
    const thread = await channel.threads.create({ name: 'Hackathon 2025-01-01' });
    await first.destroy();
    expect(emu.sessions()).toHaveLength(0);

    const second = await makeClient(emu, [I.Guilds]);
    clients.push(second);
    const commands = await second.application?.commands.fetch();
    expect(commands?.map((c) => c.name)).toEqual(['update']);
    const cached = second.channels.cache.get(thread.id);
    expect(cached?.isThread() ? cached.name : undefined).toBe('Hackathon 2025-01-01');
    // The second client's first IDENTIFY came within 5 s of the first one's: op 9 (max_concurrency), then
    // discord.js's own throttle sent it again once the 5 s had passed.
    const identifies = emu.gatewayLog().filter((e) => e.dir === 'in' && e.op === 2);
    expect(identifies).toHaveLength(3);
    expect(emu.gatewayLog().filter((e) => e.dir === 'out' && e.op === 9)).toHaveLength(1);
    expect(emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'READY')).toHaveLength(2);
  });

  it('closes the gateway with 4004 on a wrong token at IDENTIFY, and the client does not retry', async () => {
    emu = await startEmulator();
    emu.seedGuild();
    // discord.js's gateway layer on its own: REST (for /gateway/bot) has the right token, IDENTIFY another one.
    const rest = new REST({ api: emu.restUrl }).setToken(emu.token);
    const manager = new WebSocketManager({ token: 'not-the-token', intents: 0, rest });
    const errors: string[] = [];
    manager.on(WebSocketShardEvents.Error, ({ error }) => errors.push(error.message));
    void manager.connect().catch(() => undefined);
    const closed = await emu.waitForGateway((e) => e.dir === 'close');
    expect(closed.code).toBe(4004);
    expect(closed.by).toBe('server');
    await expect.poll(() => errors).toContain('Authentication failed');
    await new Promise((r) => setTimeout(r, 700)); // discord.js would reconnect after 500 ms if it meant to
    expect(emu.gatewayLog().filter((e) => e.dir === 'out' && e.op === 10)).toHaveLength(1);
    await manager.destroy();
  });
});

describe('connectionsAccepted', () => {
  it('counts TCP connections, not requests: a kept-alive connection carries many', async () => {
    emu = await startEmulator();
    const url = `${emu.restUrl}/gateway`;
    const get = (agent: Agent) =>
      new Promise<void>((resolve, reject) => {
        httpGet(url, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
      });
    const before = emu.connectionsAccepted;
    const one = new Agent({ keepAlive: true, maxSockets: 1 });
    const three = new Agent({ keepAlive: true, maxSockets: 3 });
    try {
      for (let i = 0; i < 3; i++) await get(one);
      expect(emu.connectionsAccepted - before).toBe(1);
      await Promise.all([get(three), get(three), get(three)]);
      expect(emu.connectionsAccepted - before).toBe(4);
    } finally {
      one.destroy();
      three.destroy();
    }
  });
});
