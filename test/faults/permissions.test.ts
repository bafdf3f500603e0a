/**
 * Permissions and abuse beyond test/bot/permissions.test.ts: maintainer rights checked at the moment
 * of use, commands from DMs and from other guilds, one member acting on another's update or name, and
 * a member spamming /update.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../emulator/index.ts';
import { giveUpdate, run, startMeeting } from '../bot/steps.ts';
import { startFaultHarness, type FaultHarness } from './harness.ts';

let h: FaultHarness | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = h;
  h = undefined;
  await done?.close();
});

const KEY = 'hackathon/2022-03-19';
const IN_DMS = 'Scribe works inside a server, in the channels of a meeting series; not in direct messages.';
const NOT_CONFIGURED = 'This server has no meeting series configured for Scribe.';

interface RawInteraction {
  [key: string]: unknown;
  id?: unknown;
  member?: { user?: Record<string, unknown> };
}

/**
 * The emulator has no DMs; Discord sends a DM interaction with `user` instead of `member` and no guild.
 * This rewrites the chosen interactions' payloads that way just before discord.js reads them; the
 * emulator still holds each interaction, so the bot's answers to it are recorded as usual.
 */
function asDirectMessages(harness: FaultHarness): Set<string> {
  const chosen = new Set<string>();
  const client = harness.bot.client as unknown as { actions: { InteractionCreate: { handle(data: RawInteraction): unknown } } };
  const action = client.actions.InteractionCreate;
  const original = action.handle.bind(action);
  action.handle = (data) => {
    if (!chosen.has(String(data.id))) return original(data);
    const { guild_id: _g, guild: _guild, member, guild_locale: _l, ...rest } = data;
    const user = member?.user ?? {};
    const dmChannelId = `9${String(data.id).slice(1)}`;
    return original({
      ...rest,
      user,
      channel_id: dmChannelId,
      channel: { id: dmChannelId, type: 1, recipients: [user] },
      context: 1,
      authorizing_integration_owners: { '1': String(user['id']) },
    });
  };
  return chosen;
}

async function firstAnswer(handle: InteractionHandle): Promise<{ content: string; ephemeral: boolean }> {
  const ack = await handle.waitForAck();
  if (ack.type === 4) return { content: String(ack.data?.content), ephemeral: (Number(ack.data?.flags) & 64) === 64 };
  const edited = await handle.waitForAnswer();
  return { content: edited.content, ephemeral: (edited.flags & 64) === 64 && (Number(ack.data?.flags) & 64) === 64 };
}

describe('maintainer rights are checked when used', () => {
  it('a maintainer who loses the role is refused from then on, even for a form opened while still a maintainer', async () => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, alice } = h.guild.members;
    const thread = await startMeeting(h);
    h.emu.allowCommandForEveryone(h.guild.guildId, 'summary');
    h.emu.allowCommandForEveryone(h.guild.guildId, 'meeting');
    const form = await h.emu.slash(maintainer, thread, 'update', { for: alice }).waitForAck();
    expect(form.type).toBe(9);

    h.emu.updateMember(h.guild.guildId, maintainer, { roles: [] });
    const submitted = await h.emu.submitModal(maintainer, thread, String(form.data?.custom_id), { bullets: '* written for alice' }).waitForAnswer();
    expect(submitted.content).toBe("Only the meeting's maintainers can give an update for someone else.");
    expect((await run(h, maintainer, thread, 'summary')).content).toBe("Only the meeting's maintainers can post the notes.");
    expect((await run(h, maintainer, thread, 'meeting end')).content).toBe("Only the meeting's maintainers can run /meeting.");
    expect(await h.store.updates.get(KEY, alice)).toBeUndefined();
    expect((await h.store.meetings.get(KEY))?.status).toBe('open');

    // And a member given the role mid-meeting can act at once.
    h.emu.updateMember(h.guild.guildId, h.guild.members.bob, { roles: [h.guild.maintainerRoleId] });
    expect((await run(h, h.guild.members.bob, thread, 'meeting status')).content).toMatch(/^Meeting of 2022-03-19 \(open\)/);
    expect(h.emu.violations()).toEqual([]);
  });
});

describe('where commands are used', () => {
  it('every command in a DM is refused, ephemerally, and changes nothing', async () => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const { maintainer, alice } = harness.guild.members;
    const thread = await startMeeting(harness);
    const dm = asDirectMessages(harness);
    const inDm = (userId: string, command: string, options: Record<string, string | boolean> = {}) => {
      const handle = harness.emu.slash(userId, thread, command, options);
      dm.add(handle.id);
      return handle;
    };
    const handles = [
      inDm(alice, 'update'),
      inDm(alice, 'update', { text: 'from a DM' }),
      inDm(alice, 'name set', { name: 'DM Alice' }),
      inDm(alice, 'name show'),
      inDm(maintainer, 'summary'),
      inDm(maintainer, 'meeting start'),
      inDm(maintainer, 'meeting end'),
      inDm(maintainer, 'update', { text: 'for alice from a DM', for: alice }),
    ];
    for (const handle of handles) expect(await firstAnswer(handle)).toEqual({ content: IN_DMS, ephemeral: true });
    expect(await harness.store.updates.get(KEY, alice)).toBeUndefined();
    expect(await harness.store.names.get(harness.guild.guildId, alice)).toBeUndefined();
    expect((await harness.store.meetings.get(KEY))?.status).toBe('open');
    expect(harness.emu.messages(thread).filter((m) => m.attachments.length > 0)).toHaveLength(0);
    expect(harness.emu.violations()).toEqual([]);
  });

  it("commands in another guild's channels are refused; a form from one guild's meeting cannot be submitted in another", async () => {
    const other: { guildId: string; textChannelId: string; maintainerRoleId: string } = { guildId: '', textChannelId: '', maintainerRoleId: '' };
    let strangerGuild = '';
    let strangerChannel = '';
    h = await startFaultHarness({
      now: '2022-03-19T08:00:00Z',
      extraSeries: ({ emu, guild }) => {
        // A second configured guild, with its own series, where alice and the maintainer are members too.
        other.guildId = emu.addGuild({ name: 'Other project' });
        other.maintainerRoleId = emu.addRole(other.guildId, { name: 'Maintainer' });
        other.textChannelId = emu.addChannel(other.guildId, { name: 'standup' });
        const voice = emu.addChannel(other.guildId, { name: 'standup-voice', type: 'voice' });
        for (const id of [guild.members.alice, guild.members.maintainer]) emu.addMember(other.guildId, { id, username: id });
        // And a guild with no series at all.
        strangerGuild = emu.addGuild({ name: 'Unrelated' });
        strangerChannel = emu.addChannel(strangerGuild, { name: 'general' });
        for (const id of [guild.members.alice, guild.members.maintainer]) emu.addMember(strangerGuild, { id, username: id });
        return [
          {
            id: 'standup',
            guild: other.guildId,
            voiceChannel: voice,
            textChannel: other.textChannelId,
            timeZone: 'UTC',
            open: '0 20 * * 1',
            durationMinutes: 30,
            threadName: 'Standup {yyyy}-{mm}-{dd}',
            teams: ['other'],
            location: 'Discord',
            maintainerRoles: [other.maintainerRoleId],
            notesPath: 'standups/{yyyy}-{mm}-{dd}.md',
          },
        ];
      },
    });
    const harness = h;
    const { maintainer, alice } = harness.guild.members;
    const thread = await startMeeting(harness);
    // Commands registered in the unrelated guild too (as a global registration would make them visible there).
    const { deployCommands } = await import('../../src/discord/deploy.ts');
    const { loadCommands } = await import('../../src/discord/load-commands.ts');
    await deployCommands(harness.bot.client, await loadCommands(), { guildIds: [strangerGuild] });
    harness.emu.allowCommandForEveryone(strangerGuild, 'summary');
    harness.emu.allowCommandForEveryone(strangerGuild, 'meeting');

    for (const [userId, command, options] of [
      [alice, 'update', { text: 'in the wrong server' }],
      [alice, 'update', {}],
      [alice, 'name set', { name: 'Elsewhere' }],
      [maintainer, 'summary', {}],
      [maintainer, 'meeting start', {}],
    ] as const) {
      expect(await firstAnswer(harness.emu.slash(userId, strangerChannel, command, options))).toEqual({ content: NOT_CONFIGURED, ephemeral: true });
    }

    // Alice's form for the hackathon, submitted from the other guilds' channels.
    const form = async () => String((await harness.emu.slash(alice, thread, 'update').waitForAck()).data?.custom_id);
    const fromStranger = await harness.emu.submitModal(alice, strangerChannel, await form(), { bullets: '* smuggled' }).waitForAnswer();
    expect(fromStranger.content).toBe(NOT_CONFIGURED);
    const fromOther = await harness.emu.submitModal(alice, other.textChannelId, await form(), { bullets: '* smuggled' }).waitForAnswer();
    expect(fromOther.content).toBe('That meeting is not known here; run /update again.');
    // The hackathon's maintainer is no maintainer in the other guild.
    harness.emu.allowCommandForEveryone(other.guildId, 'summary');
    expect((await run(harness, maintainer, other.textChannelId, 'summary')).content).toBe("Only the meeting's maintainers can post the notes.");

    expect(await harness.store.updates.get(KEY, alice)).toBeUndefined();
    expect(await harness.store.names.get(strangerGuild, alice)).toBeUndefined();
    expect(harness.emu.threads(strangerChannel)).toHaveLength(0);
    expect(harness.emu.threads(other.textChannelId)).toHaveLength(0);
    expect(harness.emu.violations()).toEqual([]);
  });
});

describe("one member and another member's update or name", () => {
  it("a member cannot open, add to or replace another member's update, nor change their name", async () => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
    const { alice, bob } = h.guild.members;
    const thread = await startMeeting(h);
    await giveUpdate(h, alice, thread, '* alice wrote this');
    await run(h, alice, thread, 'name set', { name: 'AliceA' });

    // The form for alice's update is refused before it is shown.
    const form = h.emu.slash(bob, thread, 'update', { for: alice });
    expect(await firstAnswer(form)).toEqual({ content: "Only the meeting's maintainers can give an update for someone else.", ephemeral: true });
    expect(h.emu.shownModal(bob, `update:${KEY}:${alice}:${form.id}`)).toBeUndefined();
    // /update for: oneself is one's own update.
    expect((await run(h, bob, thread, 'update', { text: 'bob for bob', for: bob })).content).toMatch(/^Saved\. Your update/);
    // /name set has no target: bob's name changes, alice's does not.
    await run(h, bob, thread, 'name set', { name: 'AliceA' });
    expect((await h.store.names.get(h.guild.guildId, alice))?.name).toBe('AliceA');
    expect((await h.store.names.get(h.guild.guildId, bob))?.name).toBe('AliceA');

    const alices = await h.store.updates.get(KEY, alice);
    expect(alices?.update.bullets.map((b) => b.text)).toEqual(['alice wrote this']);
    expect(alices?.authorId).toBe(alice);
    expect((await h.store.updates.get(KEY, bob))?.authorId).toBe(bob);
  });
});

describe('a member spamming /update', () => {
  it('100 form submissions in a burst: all answered, the last one wins, one record', async () => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const { bob } = harness.guild.members;
    const thread = await startMeeting(harness);
    const forms = await Promise.all(Array.from({ length: 100 }, () => harness.emu.slash(bob, thread, 'update').waitForAck()));
    const submissions = forms.map((form, i) => harness.emu.submitModal(bob, thread, String(form.data?.custom_id), { bullets: `* attempt ${i + 1}` }));
    const replies = await Promise.all(submissions.map((s) => s.waitForAnswer(undefined, 20_000)));
    // Each is answered with what the notes will show at that moment: its own text, or a later one's.
    for (const [i, reply] of replies.entries()) {
      expect(reply.content).toMatch(/^Saved\. Your update, as it will appear in the notes:\n```md\nBob B\n\* attempt (\d+)\n```$/);
      expect(Number(/attempt (\d+)/.exec(reply.content)?.[1])).toBeGreaterThanOrEqual(i + 1);
    }
    expect(replies.at(-1)?.content).toContain('* attempt 100\n');
    const stored = await harness.store.updates.list(KEY);
    expect(stored.map((u) => u.userId)).toEqual([bob]);
    expect(stored[0]?.update.bullets.map((b) => b.text)).toEqual(['attempt 100']);
    expect(harness.emu.violations()).toEqual([]);
  });

  it('100 /update text in a burst: all answered, none lost or doubled, the bullet limit holds', async () => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const { bob } = harness.guild.members;
    const thread = await startMeeting(harness);
    const handles = Array.from({ length: 100 }, (_, i) => harness.emu.slash(bob, thread, 'update', { text: `line ${i + 1}` }));
    const replies = await Promise.all(handles.map((x) => x.waitForAnswer(undefined, 20_000)));
    const saved = replies.filter((r) => r.content.startsWith('Saved.'));
    const refused = replies.filter((r) => r.content === 'That would make 51 bullets; the limit is 50. Run /update without text to edit the whole update.');
    expect(saved.length + refused.length).toBe(100);
    expect(saved).toHaveLength(50);
    const stored = await harness.store.updates.list(KEY);
    expect(stored.map((u) => u.userId)).toEqual([bob]);
    const bullets = stored[0]?.update.bullets.map((b) => b.text) ?? [];
    // Exactly the 50 that were answered "Saved.", each once.
    expect(bullets).toHaveLength(50);
    expect(new Set(bullets).size).toBe(50);
    expect(harness.emu.violations()).toEqual([]);
  });
});
