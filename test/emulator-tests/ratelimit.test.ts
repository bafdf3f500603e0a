import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelType, Client, GatewayIntentBits as I, HTTPError, RESTEvents, type RateLimitData, type TextChannel } from 'discord.js';
import { startEmulator, type Emulator, type RecordedRequest, type SeededGuild } from '../emulator/index.ts';
import { makeClient } from '../emulator/client.ts';

let emu: Emulator;
let g: SeededGuild;
let client: Client;
let channel: TextChannel;
const rateLimits: RateLimitData[] = [];

beforeAll(async () => {
  emu = await startEmulator({ heartbeatIntervalMs: 250 });
  g = emu.seedGuild();
  client = await makeClient(emu, [I.Guilds]);
  client.rest.on(RESTEvents.RateLimited, (d) => rateLimits.push(d));
  const c = client.channels.cache.get(g.textChannelId);
  if (!c || c.type !== ChannelType.GuildText) throw new Error('no text channel');
  channel = c;
});
afterAll(async () => {
  await client?.destroy();
  await emu?.close();
});

const postsTo = (path: string) => (r: RecordedRequest) => r.method === 'POST' && r.path === path;

describe('rate limits and server errors', () => {
  it('waits at least Retry-After before retrying a rate-limited route', async () => {
    const path = `/channels/${g.textChannelId}/messages`;
    const before = emu.requests().length;
    emu.rateLimit(`POST ${path}`, 1, { retryAfter: 0.6 });
    const sent = await channel.send('after the limit');
    const attempts = emu.requests().slice(before).filter(postsTo(path));
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    const [limited, retried] = attempts as [RecordedRequest, RecordedRequest];
    expect(limited.fault).toBe('rate-limit');
    const waitedMs = retried.startedAt - limited.finishedAt;
    console.log(`[emulator] retry after a 429 with Retry-After 0.6 s came ${waitedMs.toFixed(0)} ms later`);
    expect(waitedMs).toBeGreaterThanOrEqual(600);
    expect(emu.message(sent.id)?.content).toBe('after the limit');
    expect(rateLimits.some((r) => !r.global && r.retryAfter >= 600)).toBe(true);
  });

  it('honours a global 429 across routes', async () => {
    const thread = await channel.threads.create({ name: 'global' });
    const before = emu.requests().length;
    emu.rateLimit(`POST /channels/${g.textChannelId}/messages`, 1, { retryAfter: 0.5, global: true });
    const one = channel.send('one');
    const limited = await emu.waitForRequest((r) => r.seq > before && r.status === 429);
    expect(limited.fault).toBe('rate-limit');
    // Another route, sent after the global 429 arrived: the client holds it until the global reset.
    await expect.poll(() => rateLimits.some((r) => r.global)).toBe(true);
    const two = thread.send('two');
    await Promise.all([one, two]);
    const later = emu.requests().filter((r) => r.seq > limited.seq && r.method === 'POST');
    expect(later.map((r) => r.path).sort()).toEqual([`/channels/${g.textChannelId}/messages`, `/channels/${thread.id}/messages`].sort());
    for (const r of later) expect(r.startedAt - limited.finishedAt).toBeGreaterThanOrEqual(500);
    expect(rateLimits.some((r) => r.global)).toBe(true);
    expect(emu.messages(thread.id).map((m) => m.content)).toEqual(['two']);
  });

  it('retries a 5xx and gives up after three retries', async () => {
    const path = `/channels/${g.textChannelId}/messages`;
    let before = emu.requests().length;
    emu.failRoute(`POST ${path}`, 2, 502);
    await channel.send('survives two 502s');
    expect(
      emu
        .requests()
        .slice(before)
        .filter(postsTo(path))
        .map((r) => r.status),
    ).toEqual([502, 502, 200]);

    before = emu.requests().length;
    emu.failRoute(`POST ${path}`, 4, 500);
    await expect(channel.send('never stored')).rejects.toBeInstanceOf(HTTPError);
    expect(
      emu
        .requests()
        .slice(before)
        .filter(postsTo(path))
        .map((r) => r.status),
    ).toEqual([500, 500, 500, 500]);
    expect(emu.messages(g.textChannelId).some((m) => m.content === 'never stored')).toBe(false);
  });

  it('delays a route', async () => {
    const fault = emu.delayRoute(`GET /channels/${g.textChannelId}`, 300, 1);
    const started = performance.now();
    await client.channels.fetch(g.textChannelId, { force: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(fault.hits).toBe(1);
    expect(fault.remaining).toBe(0);
  });
});
