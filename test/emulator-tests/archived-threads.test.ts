import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, DiscordAPIError, Events, GatewayIntentBits as I, MessageFlags, type TextChannel, type ThreadChannel } from 'discord.js';
import { startEmulator, type Emulator, type SeededGuild } from '../emulator/index.ts';
import { cachedTextChannel, makeClient } from '../emulator/client.ts';

let emu: Emulator;
let g: SeededGuild;
let client: Client;
/** What the "bot" of this file got back when it edited its reply after archiving the thread. */
const editErrors: unknown[] = [];

beforeAll(async () => {
  emu = await startEmulator({ heartbeatIntervalMs: 250 });
  g = emu.seedGuild();
  client = await makeClient(emu, [I.Guilds]);
  client.on(Events.InteractionCreate, async (i) => {
    if (!i.isChatInputCommand() || !i.channel?.isThread()) return;
    const thread = i.channel;
    if (i.commandName === 'say') {
      await i.reply({ content: 'said in the thread' });
    } else if (i.commandName === 'end') {
      // Reply, archive, then edit: Discord refuses the edit while the thread is archived. (A follow-up
      // while a deferral is still "thinking…" is an edit of it, and is refused too.)
      await i.reply({ content: 'Ending…' });
      await thread.setArchived(true);
      await i.editReply('Ended and archived.').catch((e: unknown) => editErrors.push(e));
      await i.followUp({ content: 'Follow-up after the archive' });
    } else if (i.commandName === 'quiet') {
      await i.reply({ content: 'only you see this', flags: MessageFlags.Ephemeral });
    }
  });
  await client.application?.commands.set(
    ['say', 'end', 'quiet'].map((name) => ({ name, description: name })),
    g.guildId,
  );
});
afterAll(async () => {
  await client?.destroy();
  await emu?.close();
});

function text(id: string): TextChannel {
  return cachedTextChannel(client, id);
}

async function archivedThread(name: string): Promise<ThreadChannel> {
  const thread = await text(g.textChannelId).threads.create({ name });
  await thread.setArchived(true);
  return thread;
}

const threadUpdates = (id: string): number =>
  emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'THREAD_UPDATE' && JSON.stringify(e.d).includes(id)).length;

describe('archived threads (rule archivedThreads)', () => {
  it('a message sent into an archived, unlocked thread unarchives it and dispatches THREAD_UPDATE', async () => {
    const thread = await archivedThread('late update');
    const updatesBefore = threadUpdates(thread.id);
    await thread.send('late update');
    expect(emu.channel(thread.id)?.thread?.archived).toBe(false);
    expect(emu.messages(thread.id).map((m) => m.content)).toEqual(['late update']);
    expect(threadUpdates(thread.id)).toBe(updatesBefore + 1);
    await expect.poll(() => (client.channels.cache.get(thread.id) as ThreadChannel | undefined)?.archived).toBe(false);
  });

  it('refuses to edit a message in an archived thread with 50083 until the thread is unarchived', async () => {
    const thread = await text(g.textChannelId).threads.create({ name: 'edit me' });
    const msg = await thread.send('first words');
    await thread.setArchived(true);
    const err: unknown = await msg.edit('second words').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).code).toBe(50083);
    expect(emu.message(msg.id)?.content).toBe('first words');
    await thread.setArchived(false);
    await msg.edit('second words');
    expect(emu.message(msg.id)?.content).toBe('second words');
  });

  it('a locked and archived thread is not unarchived by a bot without Manage Threads: 50083', async () => {
    const e = await startEmulator({ heartbeatIntervalMs: 250, botPermissions: 0n });
    try {
      const s = e.seedGuild();
      const bot = await makeClient(e, [I.Guilds]);
      try {
        // A moderator created, locked and archived the thread (driven on the state directly).
        const threadId = ((await bot.rest.post(`/channels/${s.textChannelId}/threads`, { body: { name: 'locked', type: 11 } })) as { id: string }).id;
        const t = e.channel(threadId)?.thread;
        if (!t) throw new Error('no thread');
        t.locked = true;
        t.archived = true;
        const err: unknown = await bot.rest.post(`/channels/${threadId}/messages`, { body: { content: 'hi' } }).catch((x: unknown) => x);
        expect((err as DiscordAPIError).code).toBe(50083);
        expect(e.channel(threadId)?.thread?.archived).toBe(true);
      } finally {
        await bot.destroy();
      }
    } finally {
      await e.close();
    }
  });

  it('an interaction reply in an archived thread unarchives it; an ephemeral one does not', async () => {
    const thread = await archivedThread('reply here');
    await emu.slash(g.members.alice, thread.id, 'quiet').waitForAnswer();
    expect(emu.channel(thread.id)?.thread?.archived).toBe(true);
    const answer = await emu.slash(g.members.alice, thread.id, 'say').waitForAnswer();
    expect(answer.content).toBe('said in the thread');
    expect(emu.channel(thread.id)?.thread?.archived).toBe(false);
  });

  it('editing a reply after the thread was archived is refused with 50083; a follow-up unarchives it', async () => {
    const thread = await text(g.textChannelId).threads.create({ name: 'end here' });
    const h = emu.slash(g.members.maintainer, thread.id, 'end');
    const follow = await h.waitForFollowUp();
    expect(follow.content).toBe('Follow-up after the archive');
    expect(editErrors).toHaveLength(1);
    expect((editErrors[0] as DiscordAPIError).code).toBe(50083);
    expect(
      h
        .events()
        .filter((x) => x.kind === 'edit-original')
        .map((x) => x.errorCode),
    ).toEqual([50083]);
    expect(emu.channel(thread.id)?.thread?.archived).toBe(false);
    expect(h.original()?.content).toBe('Ending…');
    expect(emu.violations().filter((v) => v.kind === 'archived-thread' && v.path?.includes(h.token) === true)).toHaveLength(1);
  });

  it('with the rule off, a send into an archived thread is refused (the emulator before the rule)', async () => {
    const e = await startEmulator({ heartbeatIntervalMs: 250, rules: { archivedThreads: false } });
    try {
      const s = e.seedGuild();
      const bot = await makeClient(e, [I.Guilds]);
      try {
        const threadId = ((await bot.rest.post(`/channels/${s.textChannelId}/threads`, { body: { name: 'old way', type: 11 } })) as { id: string }).id;
        await bot.rest.patch(`/channels/${threadId}`, { body: { archived: true } });
        const err: unknown = await bot.rest.post(`/channels/${threadId}/messages`, { body: { content: 'hi' } }).catch((x: unknown) => x);
        expect((err as DiscordAPIError).code).toBe(50083);
      } finally {
        await bot.destroy();
      }
    } finally {
      await e.close();
    }
  });
});
