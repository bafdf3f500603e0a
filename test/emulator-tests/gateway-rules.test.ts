import { afterEach, describe, expect, it } from 'vitest';
import { Client, DiscordAPIError, GatewayIntentBits as I } from 'discord.js';
import { WebSocket } from 'ws';
import { startEmulator, type EmulatorOptions, type Emulator } from '../emulator/index.ts';
import { makeClient } from '../emulator/client.ts';

let emu: Emulator | undefined;
const clients: Client[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  for (const s of sockets.splice(0)) s.terminate();
  await emu?.close();
  emu = undefined;
});

async function start(opts: EmulatorOptions = {}): Promise<Emulator> {
  emu = await startEmulator({ heartbeatIntervalMs: 250, ...opts });
  return emu;
}

interface Frame {
  op: number;
  t: string | null;
  d: unknown;
}

/** A bare gateway connection: sends IDENTIFY once HELLO arrives, collects frames and the close code. */
function identify(e: Emulator, d: Record<string, unknown>): { frames: Frame[]; closed: Promise<number>; ws: WebSocket } {
  const ws = new WebSocket(`${e.gatewayUrl}?v=10&encoding=json`);
  sockets.push(ws);
  const frames: Frame[] = [];
  ws.on('message', (raw: Buffer) => {
    const f = JSON.parse(raw.toString()) as Frame;
    frames.push(f);
    if (f.op === 10) ws.send(JSON.stringify({ op: 2, d: { token: e.token, properties: {}, intents: I.Guilds, ...d } }));
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return { frames, closed, ws };
}

describe('privileged intents (rule privilegedIntents)', () => {
  it('closes an IDENTIFY naming a privileged intent the application has not enabled with 4014', async () => {
    const e = await start();
    e.seedGuild();
    for (const intent of [I.GuildMembers, I.GuildPresences, I.MessageContent]) {
      const { closed } = identify(e, { intents: I.Guilds | intent });
      expect(await closed).toBe(4014);
    }
    expect(e.gatewayLog().filter((x) => x.t === 'READY')).toHaveLength(0);
  });

  it('accepts it once the application enables the intent', async () => {
    const e = await start({ privilegedIntents: ['MessageContent'] });
    e.seedGuild();
    const c = await makeClient(e, [I.Guilds, I.GuildMessages, I.MessageContent]);
    clients.push(c);
    expect(e.sessions()[0]?.intents).toBe(I.Guilds | I.GuildMessages | I.MessageContent);
  });
});

describe('IDENTIFY limits', () => {
  it('closes an IDENTIFY for a shard outside the count with 4010', async () => {
    const e = await start();
    const { closed } = identify(e, { shard: [2, 2] });
    expect(await closed).toBe(4010);
  });

  it('answers a second IDENTIFY of the same rate-limit key within 5 s with op 9 (rule identifyConcurrency)', async () => {
    const e = await start({ maxConcurrency: 1 });
    const first = identify(e, {});
    await e.waitForGateway((x) => x.dir === 'out' && x.t === 'READY');
    const second = identify(e, {});
    await expect.poll(() => second.frames.some((f) => f.op === 9 && f.d === false)).toBe(true);
    expect(second.frames.some((f) => f.t === 'READY')).toBe(false);
    expect(first.frames.some((f) => f.t === 'READY')).toBe(true);
  });

  it('lets shards of different keys identify together (shard_id % max_concurrency)', async () => {
    const e = await start({ maxConcurrency: 2, shards: 2 });
    const a = identify(e, { shard: [0, 2] });
    const b = identify(e, { shard: [1, 2] });
    await expect.poll(() => a.frames.some((f) => f.t === 'READY') && b.frames.some((f) => f.t === 'READY')).toBe(true);
  });
});

describe('members without privileged intents', () => {
  it('GUILD_CREATE lists only the bot and the members in voice, with the real member_count (rule guildCreateMembers)', async () => {
    const e = await start({ rules: { guildCreateMembers: true } });
    const g = e.seedGuild({ voice: true });
    const c = await makeClient(e, [I.Guilds, I.GuildVoiceStates]);
    clients.push(c);
    const created = e.gatewayLog().find((x) => x.dir === 'out' && x.t === 'GUILD_CREATE');
    const d = created?.d as { members: { user: { id: string } }[]; member_count: number };
    expect(d.members.map((m) => m.user.id).sort()).toEqual([e.botUserId, g.members.alice].sort());
    expect(d.member_count).toBe(e.state.guildMembers(g.guildId).length);
    const guild = c.guilds.cache.get(g.guildId);
    expect(guild?.memberCount).toBe(d.member_count);
    expect(guild?.members.cache.has(g.members.bob)).toBe(false);
    // One member at a time by REST works without any privileged intent.
    const bob = await guild?.members.fetch(g.members.bob);
    expect(bob?.user.username).toBe('bob');
  });

  it('refuses listing members by REST without GuildMembers enabled (50001), and serves it with it (rule memberListIntent)', async () => {
    const e = await start();
    const g = e.seedGuild();
    const c = await makeClient(e, [I.Guilds]);
    clients.push(c);
    const err: unknown = await c.rest.get(`/guilds/${g.guildId}/members`, { query: new URLSearchParams({ limit: '10' }) }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).code).toBe(50001);
    expect((err as DiscordAPIError).status).toBe(403);
    await c.destroy();
    clients.length = 0;
    await e.close();

    const e2 = await start({ privilegedIntents: ['GuildMembers'] });
    const g2 = e2.seedGuild();
    const c2 = await makeClient(e2, [I.Guilds]);
    clients.push(c2);
    const list = (await c2.rest.get(`/guilds/${g2.guildId}/members`, { query: new URLSearchParams({ limit: '10' }) })) as unknown[];
    expect(list.length).toBe(e2.state.guildMembers(g2.guildId).length);
  });

  it('answers no chunk to op 8 for the whole list without the GuildMembers intent, but does by user ids', async () => {
    const e = await start();
    const g = e.seedGuild();
    const { frames, ws } = identify(e, {});
    await expect.poll(() => frames.some((f) => f.t === 'GUILD_CREATE')).toBe(true);
    ws.send(JSON.stringify({ op: 8, d: { guild_id: g.guildId, query: '', limit: 0, nonce: 'all' } }));
    ws.send(JSON.stringify({ op: 8, d: { guild_id: g.guildId, user_ids: [g.members.bob], nonce: 'bob' } }));
    await expect.poll(() => frames.some((f) => f.t === 'GUILD_MEMBERS_CHUNK')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const chunks = frames.filter((f) => f.t === 'GUILD_MEMBERS_CHUNK').map((f) => f.d as { nonce: string; members: unknown[] });
    expect(chunks.map((x) => x.nonce)).toEqual(['bob']);
    expect(chunks[0]?.members).toHaveLength(1);
  });
});
