import { afterEach, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits as I,
  ModalBuilder,
  Routes,
  TextInputBuilder,
  TextInputStyle,
  type TextChannel,
} from 'discord.js';
import { INVITE_PERMISSIONS, startEmulator, type EmulatorOptions, type Emulator, type SeededGuild } from '../emulator/index.ts';
import { makeClient } from '../emulator/client.ts';

let emu: Emulator | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  await emu?.close();
  client = undefined;
  emu = undefined;
});

async function setup(opts: EmulatorOptions = {}): Promise<{ e: Emulator; g: SeededGuild; c: Client; channel: TextChannel }> {
  emu = await startEmulator({ heartbeatIntervalMs: 250, strictCommands: false, ...opts });
  const g = emu.seedGuild();
  client = await makeClient(emu, [I.Guilds]);
  const channel = client.channels.cache.get(g.textChannelId);
  if (!channel || channel.type !== ChannelType.GuildText) throw new Error('no text channel');
  return { e: emu, g, c: client, channel };
}

async function refusal(p: Promise<unknown>): Promise<DiscordAPIError> {
  const err = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(err instanceof DiscordAPIError)) throw new Error(`expected a DiscordAPIError, got ${String(err)}`);
  return err;
}

describe('message content (rule trimContent)', () => {
  it('stores content trimmed, and refuses a whitespace-only message without files or embeds with 50006', async () => {
    const { e, channel } = await setup({ rules: { trimContent: true } });
    const sent = await channel.send('  \n## Notes\n\n* one\n\n');
    expect(e.message(sent.id)?.content).toBe('## Notes\n\n* one');
    expect(sent.content).toBe('## Notes\n\n* one');
    const err = await refusal(channel.send(' \n\t '));
    expect(err.code).toBe(50006);
    expect(err.status).toBe(400);
    // With an attachment the blank content is fine (stored as '').
    const withFile = await channel.send({ content: '  ', files: [{ attachment: Buffer.from('x'), name: 'a.md' }] });
    expect(e.message(withFile.id)?.content).toBe('');
    const edit = await refusal(sent.edit('   '));
    expect(edit.code).toBe(50006);
    expect(e.message(sent.id)?.content).toBe('## Notes\n\n* one');
  });

  it('with the rule off, content is stored as sent', async () => {
    const { e, channel } = await setup({ rules: { trimContent: false } });
    const sent = await channel.send('  padded  ');
    expect(e.message(sent.id)?.content).toBe('  padded  ');
  });
});

describe('rate limits (rules rateLimits, channelMessageRateLimit)', () => {
  it('sends the X-RateLimit headers on every answer; the bucket is counted per channel', async () => {
    const { e, g, c, channel } = await setup();
    const thread = await channel.threads.create({ name: 'other channel' });
    await channel.send('one');
    await thread.send('two');
    const posts = e.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(posts).toHaveLength(2);
    await c.channels.fetch(g.textChannelId, { force: true });
    // The recorded requests do not keep headers sent; fetch one by hand to read them.
    const res = await fetch(`${e.restUrl}/v10/channels/${g.textChannelId}`, { headers: { authorization: `Bot ${e.token}` } });
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-bucket']) {
      expect(res.headers.get(h), h).not.toBeNull();
    }
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(Number(res.headers.get('x-ratelimit-limit')));
  });

  it('limits posting into one channel to 5 per 5 s: discord.js waits for the reset and nothing is refused', async () => {
    const { e, g, channel } = await setup({ rules: { channelMessageRateLimit: true }, channelMessageLimit: { limit: 5, windowMs: 1500 } });
    const started = performance.now();
    for (let i = 1; i <= 7; i++) await channel.send(`message ${i}`);
    const elapsed = performance.now() - started;
    expect(e.messages(g.textChannelId)).toHaveLength(7);
    // The sixth waited for the window's reset, learnt from the headers (remaining 0 after the fifth).
    expect(elapsed).toBeGreaterThanOrEqual(1200);
    expect(e.requests().filter((r) => r.status === 429)).toHaveLength(0);
    expect(e.violations()).toEqual([]);
  });

  it('answers a burst past the channel limit with 429, retry_after and global:false in the body, and the headers', async () => {
    const { e, g } = await setup({ rules: { channelMessageRateLimit: true } });
    const post = () =>
      fetch(`${e.restUrl}/v10/channels/${g.textChannelId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${e.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'burst' }),
      });
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { retry_after: number; global: boolean; message: string };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(5);
    expect(limited.headers.get('retry-after')).not.toBeNull();
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(limited.headers.get('x-ratelimit-global')).toBeNull();
    expect(e.messages(g.textChannelId)).toHaveLength(5);
    expect(e.violations().map((v) => v.kind)).toEqual(['rate-limited']);
  });

  it('limits the bot globally per second (Discord: 50), interaction endpoints exempt', async () => {
    const { e, g } = await setup({ globalRequestsPerSecond: 10 });
    await new Promise((r) => setTimeout(r, 1100)); // a fresh global window, whatever login used
    const get = (path: string) => fetch(`${e.restUrl}/v10${path}`, { headers: { authorization: `Bot ${e.token}` } });
    const statuses = await Promise.all(Array.from({ length: 10 }, () => get(`/guilds/${g.guildId}/roles`)).map(async (p) => (await p).status));
    const more = await get('/users/@me');
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(more.status).toBe(429);
    expect(more.headers.get('x-ratelimit-global')).toBe('true');
    expect(more.headers.get('x-ratelimit-scope')).toBe('global');
    expect(Number(more.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await more.json()) as { global: boolean; retry_after: number };
    expect(body.global).toBe(true);
    expect(body.retry_after).toBeGreaterThan(0);
    // An interaction callback in the same second is not counted against the global limit.
    const h = e.slash(g.members.alice, g.textChannelId, 'ping', {});
    const cb = await fetch(`${e.restUrl}/v10/interactions/${h.id}/${h.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'pong' } }),
    });
    expect(cb.status).toBe(204);
  });

  it('with rateLimits off, no headers and no limits', async () => {
    const { e, g } = await setup({ rules: { rateLimits: false } });
    const res = await fetch(`${e.restUrl}/v10/channels/${g.textChannelId}`, { headers: { authorization: `Bot ${e.token}` } });
    expect(res.headers.get('x-ratelimit-bucket')).toBeNull();
  });
});

describe("the invite's permissions (botPermissions)", () => {
  it('gives the bot role exactly the invite integer, 326417615872; a permission it lacks is refused with 50013', async () => {
    expect(INVITE_PERMISSIONS).toBe(326417615872n);
    const { e, g, channel } = await setup();
    expect(e.state.roles.get(g.botRoleId)?.permissions).toBe(326417615872n);
    // Deleting another member's message needs Manage Messages: not in the invite, not in @everyone.
    const theirs = e.userMessage(g.members.alice, channel.id, 'a member wrote this');
    const err = await refusal(client?.rest.delete(Routes.channelMessage(g.textChannelId, theirs.id)) ?? Promise.resolve());
    expect(err.code).toBe(50013);
    // A channel whose overwrite denies Send Messages to the bot role: 50013.
    const locked = e.addChannel(g.guildId, { name: 'read-only', overwrites: [{ id: g.botRoleId, type: 'role', deny: 1n << 11n }] });
    const denied = await refusal(client?.rest.post(Routes.channelMessages(locked), { body: { content: 'x' } }) ?? Promise.resolve());
    expect(denied.code).toBe(50013);
    expect(denied.status).toBe(403);
  });
});

describe('interaction tokens (rule expiredTokenUnauthorized)', () => {
  it('after 15 minutes the token is refused with 401, 50027 Invalid Webhook Token, and the bot token is kept', async () => {
    const { e, g, c } = await setup();
    c.on(Events.InteractionCreate, (i) => {
      if (i.isChatInputCommand()) void i.deferReply();
    });
    const h = e.slash(g.members.alice, g.textChannelId, 'ping', {});
    await h.waitForAck();
    h.expire();
    const err = await refusal(c.rest.patch(Routes.webhookMessage(e.applicationId, h.token), { body: { content: 'late' }, auth: false }));
    expect(err.status).toBe(401);
    expect(err.code).toBe(50027);
    expect(err.message).toBe('Invalid Webhook Token');
    // A 401 on an unauthenticated route does not clear the bot's token: the next request still goes.
    await c.channels.fetch(g.textChannelId, { force: true });
  });
});

describe('modals (rule modalRules)', () => {
  const input = (id: string, label?: string): Record<string, unknown> => ({ type: 4, custom_id: id, style: 1, ...(label === undefined ? {} : { label }) });
  const cases: [string, () => unknown, string[]][] = [
    ['two text inputs in one action row', () => ({ type: 1, components: [input('a', 'A'), input('b', 'B')] }), ['data', 'components', '0', 'components']],
    ['a text input without a label', () => ({ type: 1, components: [input('a')] }), ['data', 'components', '0', 'components', '0', 'label']],
    ['a label over 45 characters', () => ({ type: 1, components: [input('a', 'x'.repeat(46))] }), ['data', 'components', '0', 'components', '0', 'label']],
    [
      'min_length over 4,000',
      () => ({ type: 1, components: [{ ...input('a', 'A'), min_length: 4001 }] }),
      ['data', 'components', '0', 'components', '0', 'min_length'],
    ],
  ];
  it.each(cases)('refuses %s with 50035 and the field named in errors', async (_name, row, path) => {
    const { e, g, c } = await setup();
    c.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      await c.rest
        .post(Routes.interactionCallback(i.id, i.token), { body: { type: 9, data: { custom_id: 'm', title: 'Form', components: [row()] } }, auth: false })
        .catch(() => undefined);
    });
    const h = e.slash(g.members.alice, g.textChannelId, 'form', {});
    const ack = await h.waitForAck();
    expect(ack.accepted).toBe(false);
    expect(ack.errorCode).toBe(50035);
    const refused = e.requests().find((r) => r.path.endsWith('/callback'));
    let node: unknown = (refused?.response as { errors?: unknown } | undefined)?.errors;
    for (const k of path) node = (node as Record<string, unknown> | undefined)?.[k];
    expect((node as { _errors?: unknown[] } | undefined)?._errors?.length).toBeGreaterThan(0);
  });

  it('accepts a modal built as discord.js builds it', async () => {
    const { e, g, c } = await setup();
    c.on(Events.InteractionCreate, async (i) => {
      if (!i.isChatInputCommand()) return;
      const modal = new ModalBuilder()
        .setCustomId('ok')
        .setTitle('Update')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId('bullets').setLabel('Bullets').setStyle(TextInputStyle.Paragraph).setMinLength(0).setMaxLength(4000),
          ),
        );
      await i.showModal(modal);
    });
    const ack = await e.slash(g.members.alice, g.textChannelId, 'form', {}).waitForAck();
    expect(ack.accepted).toBe(true);
  });
});
