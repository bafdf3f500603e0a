import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, ChannelType, Client, DiscordAPIError, Events, GatewayIntentBits as I, type Message } from 'discord.js';
import { Perm, startEmulator, type Emulator, type SeededGuild } from '../emulator/index.ts';
import { makeClient } from '../emulator/client.ts';

let emu: Emulator;
let g: SeededGuild;
let client: Client;
const withResponseIds: (string | undefined)[] = [];
const seen: Message[] = [];

beforeAll(async () => {
  emu = await startEmulator({ heartbeatIntervalMs: 250 });
  g = emu.seedGuild();
  client = await makeClient(emu, [I.Guilds, I.GuildMessages]);
  client.on(Events.MessageCreate, (m) => seen.push(m));
  client.on(Events.InteractionCreate, async (i) => {
    if (i.isChatInputCommand() && i.commandName === 'panel') {
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('done').setLabel('Done').setStyle(ButtonStyle.Primary),
        new ButtonBuilder().setCustomId('quiet').setLabel('Quiet').setStyle(ButtonStyle.Secondary),
      );
      const res = await i.reply({ content: 'Panel', components: [row], withResponse: true });
      withResponseIds.push(res.resource?.message?.id);
    } else if (i.isButton() && i.customId === 'done') {
      await i.update({ content: `Closed by ${i.user.username}`, components: [] });
    } else if (i.isButton() && i.customId === 'quiet') {
      await i.deferUpdate();
    }
  });
  await client.application?.commands.set([{ name: 'panel', description: 'Shows buttons' }], g.guildId);
});
afterAll(async () => {
  await client?.destroy();
  await emu?.close();
});

describe('components, with_response, message content', () => {
  it('returns the reply with with_response, and a button click updates the message (type 7) or defers (type 6)', async () => {
    const h = emu.slash(g.members.bob, g.textChannelId, 'panel');
    const ack = await h.waitForAck();
    expect(ack.status).toBe(200);
    await expect.poll(() => withResponseIds[0]).toBe(ack.message?.id);
    const panelId = ack.message?.id ?? '';

    const quiet = await emu.clickButton(g.members.alice, panelId, 'quiet').waitForAck();
    expect([quiet.type, quiet.accepted]).toEqual([6, true]);
    const done = await emu.clickButton(g.members.alice, panelId, 'done').waitForAck();
    expect([done.type, done.accepted]).toEqual([7, true]);
    expect(emu.message(panelId)?.content).toBe('Closed by alice');
    expect(emu.message(panelId)?.components).toEqual([]);
    expect(() => emu.clickButton(g.members.alice, panelId, 'done')).toThrow(/no component/);
  });

  it('hides message content without the MessageContent intent unless the bot is mentioned', async () => {
    emu.userMessage(g.members.carol, g.textChannelId, 'plain chatter');
    emu.userMessage(g.members.carol, g.textChannelId, `<@${emu.botUserId}> hello bot`);
    await expect.poll(() => seen.filter((m) => m.author.id === g.members.carol).length).toBe(2);
    const fromCarol = seen.filter((m) => m.author.id === g.members.carol).map((m) => m.content);
    expect(fromCarol).toEqual(['', `<@${emu.botUserId}> hello bot`]);
  });

  it('refuses a post where the bot lacks Send Messages (50013)', async () => {
    const locked = emu.addChannel(g.guildId, {
      name: 'read-only',
      overwrites: [{ id: g.guildId, type: 'role', deny: Perm.SendMessages }],
    });
    await expect.poll(() => client.channels.cache.has(locked)).toBe(true);
    const channel = client.channels.cache.get(locked);
    if (!channel || channel.type !== ChannelType.GuildText) throw new Error('not cached');
    const err = await channel.send('hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).code).toBe(50013);
  });
});
