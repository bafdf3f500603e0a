import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelType, Client, DiscordAPIError, EmbedBuilder, GatewayIntentBits as I, type TextChannel } from 'discord.js';
import { startEmulator, type Emulator, type SeededGuild } from '../emulator/index.ts';
import { makeClient } from '../emulator/client.ts';

let emu: Emulator;
let g: SeededGuild;
let client: Client;
let channel: TextChannel;

beforeAll(async () => {
  emu = await startEmulator({ heartbeatIntervalMs: 250 });
  g = emu.seedGuild();
  client = await makeClient(emu, [I.Guilds]);
  const c = client.channels.cache.get(g.textChannelId);
  if (!c || c.type !== ChannelType.GuildText) throw new Error('no text channel');
  channel = c;
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

describe('messages', () => {
  it('accepts 2,000 characters and refuses 2,001 with 50035 and the field error', async () => {
    const accepted = await channel.send('x'.repeat(2000));
    const err = await apiError(channel.send('x'.repeat(2001)));
    expect(err.status).toBe(400);
    expect(err.code).toBe(50035);
    expect(err.rawError).toMatchObject({ errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } });
    expect(emu.message(accepted.id)?.content).toHaveLength(2000);
    expect(emu.messages(g.textChannelId).filter((m) => m.content.length > 2000)).toEqual([]);
    // An edit over the limit is refused the same way and leaves the message as it was.
    const short = await channel.send('short');
    const edit = await apiError(short.edit('y'.repeat(2001)));
    expect(edit.code).toBe(50035);
    expect(emu.message(short.id)?.content).toBe('short');
    expect(emu.message(short.id)?.editedAt).toBeNull();
    expect(emu.violations().some((v) => v.kind === 'message-limits')).toBe(true);
  });

  it('refuses embeds over the limits', async () => {
    // Plain objects: EmbedBuilder would refuse the length itself, before any request.
    const err = await apiError(channel.send({ embeds: [{ description: 'd'.repeat(4097) }] }));
    expect(err.code).toBe(50035);
    expect(err.rawError).toMatchObject({ errors: { embeds: { '0': { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
    const big = Array.from({ length: 2 }, () => new EmbedBuilder().setDescription('d'.repeat(3001)).toJSON());
    const total = await apiError(channel.send({ embeds: big }));
    expect(total.rawError).toMatchObject({ errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } });
  });

  it('keeps multipart files byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    const md = '# Notes\n\n* ȘtefanJ: ✓\n';
    const sent = await channel.send({
      content: 'files',
      files: [
        { attachment: bytes, name: 'raw.bin' },
        { attachment: Buffer.from(md), name: 'notes.md' },
      ],
    });
    const stored = emu.message(sent.id);
    expect(stored?.attachments.map((a) => a.filename)).toEqual(['raw.bin', 'notes.md']);
    expect(stored?.attachments[0]?.bytes.equals(bytes)).toBe(true);
    expect(stored?.attachments[1]?.text()).toBe(md);
    expect(sent.attachments.size).toBe(2);
  });

  it('records allowed_mentions and who would have been pinged', async () => {
    const { alice, bob } = g.members;
    const everyone = await channel.send(`@everyone <@${alice}> <@${bob}> <@&${g.maintainerRoleId}>`);
    const m1 = emu.message(everyone.id);
    expect(m1?.allowedMentions).toBeUndefined();
    // Absent allowed_mentions: users and the mentionable role ping; @everyone needs Mention Everyone, which the bot lacks.
    expect(emu.mentionsOf(everyone.id)).toMatchObject({ users: [alice, bob], roles: [g.maintainerRoleId], everyone: false });

    const limited = await channel.send({ content: `Reminder <@${alice}> <@${bob}> @everyone`, allowedMentions: { users: [alice] } });
    const m2 = emu.message(limited.id);
    expect(m2?.allowedMentions).toEqual({ users: [alice] });
    expect(emu.mentionsOf(limited.id)).toMatchObject({ users: [alice], roles: [], everyone: false });

    const none = await channel.send({ content: `<@${alice}>`, allowedMentions: { parse: [] } });
    expect(emu.mentionsOf(none.id).users).toEqual([]);

    const bad = await apiError(channel.send({ content: `<@${alice}>`, allowedMentions: { parse: ['users'], users: [alice] } }));
    expect(bad.code).toBe(50035);
  });

  it('answers 404 to an unexpected route and records it', async () => {
    const err = await apiError(client.rest.get(`/guilds/${g.guildId}/bans`));
    expect(err.status).toBe(404);
    const req = emu.requests().find((r) => r.path === `/guilds/${g.guildId}/bans`);
    expect(req?.route).toBeNull();
    expect(req?.status).toBe(404);
    expect(emu.violations().some((v) => v.kind === 'unknown-route' && v.path === `/guilds/${g.guildId}/bans`)).toBe(true);
  });
});
