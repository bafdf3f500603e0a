// The commands a member or maintainer reads or acts with, end to end: /meeting status, /name show,
// /meeting start series: with two series in one guild, and /update for: through the form.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { eventually, giveUpdate, lastNotesFile, run, startMeeting } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  const done = h;
  h = undefined;
  await done?.close();
});

const KEY = 'hackathon/2022-03-19';
/** 2022-03-19 12:00 UTC, when the seeded meeting (09:00 Berlin, 240 minutes) ends. */
const ENDS = Date.parse('2022-03-19T12:00:00Z') / 1000;

describe('/meeting status', () => {
  it('lists who has given an update and which attendees have not, with their minutes present', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const thread = await startMeeting(harness);
    const { alice, bob, carol, maintainer } = harness.guild.members;
    const present = async () => (await harness.store.attendance.get(KEY))?.attendees.length ?? 0;

    const empty = await run(harness, maintainer, thread, 'meeting status');
    expect(empty.content).toBe(`Meeting of 2022-03-19 (open), ends <t:${ENDS}:F>.\nUpdates given (0): nobody\nAttendees without an update (0): nobody`);
    expect(empty.flags & 64).toBe(64);

    harness.emu.voiceJoin(alice, harness.guild.voiceChannelId);
    harness.emu.voiceJoin(bob, harness.guild.voiceChannelId);
    await eventually(async () => (await present()) === 2);
    harness.clock.advance(10 * 60_000);
    harness.emu.voiceJoin(carol, harness.guild.voiceChannelId);
    await eventually(async () => (await present()) === 3);
    harness.clock.advance(3 * 60_000);
    await giveUpdate(harness, alice, thread, '* reviewed a PR');
    // The maintainer gave an update without being in voice: given, though not an attendee.
    await giveUpdate(harness, maintainer, thread, '* ran the meeting');

    // Asked from the series' text channel, it is about the open meeting there.
    const status = await run(harness, maintainer, harness.guild.textChannelId, 'meeting status');
    expect(status.content).toBe(
      [
        `Meeting of 2022-03-19 (open), ends <t:${ENDS}:F>.`,
        'Updates given (2): ȘtefanJ, Razvan D',
        'Attendees without an update (2): Bob B (13 min), carol (3 min)',
      ].join('\n'),
    );
    expect(status.flags & 64).toBe(64);
    // Reading the status posts nothing and pings nobody.
    expect(harness.emu.messages(thread).filter((m) => m.authorId === harness.guild.botUserId)).toHaveLength(1);

    // Bob gives his: he moves to the other list.
    await giveUpdate(harness, bob, thread, '* fixed the build');
    const later = await run(harness, maintainer, thread, 'meeting status');
    expect(later.content.split('\n').slice(1)).toEqual(['Updates given (3): ȘtefanJ, Razvan D, Bob B', 'Attendees without an update (1): carol (3 min)']);
  });

  it('is for maintainers only', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    // A server may let everyone use /meeting (Discord's integration settings): Scribe still refuses.
    h.emu.allowCommandForEveryone(h.guild.guildId, 'meeting');
    const refused = await run(h, h.guild.members.bob, thread, 'meeting status');
    expect(refused.content).toBe("Only the meeting's maintainers can run /meeting.");
    expect(refused.flags & 64).toBe(64);
  });
});

describe('/name show', () => {
  it('names where the name comes from: the server nickname, the display name, the username, then /name set', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { alice, bob, carol } = h.guild.members;
    // In the series' channel with no meeting open: names do not need one.
    const channel = h.guild.textChannelId;
    const shown = async (userId: string) => {
      const answer = await run(h as Harness, userId, channel, 'name show');
      expect(answer.flags & 64).toBe(64);
      return answer.content;
    };
    expect(await shown(alice)).toBe('You appear in the notes as **ȘtefanJ** (your server nickname).');
    expect(await shown(bob)).toBe('You appear in the notes as **Bob B** (your display name).');
    // Carol has no display name: her username stands in for it.
    expect(await shown(carol)).toBe('You appear in the notes as **carol** (your display name).');

    const set = await run(h, bob, channel, 'name set', { name: 'Robert_B' });
    expect(set.content).toBe('You will appear in the notes as **Robert\\_B**. The notes use it from now on, for updates you already gave too.');
    expect(await shown(bob)).toBe('You appear in the notes as **Robert\\_B** (set with /name set).');
    // One member's name is theirs alone.
    expect(await shown(alice)).toBe('You appear in the notes as **ȘtefanJ** (your server nickname).');
    // A name set is kept across a restart.
    await h.restart();
    expect(await shown(bob)).toBe('You appear in the notes as **Robert\\_B** (set with /name set).');
  });
});

describe('/meeting start series: with two series in one guild', () => {
  it('opens the series named, each in its own channel, and asks which one where the channel says nothing', async () => {
    const channels = { vmm: '', lobby: '' };
    h = await startHarness({
      now: '2022-03-19T08:00:00Z',
      extraSeries: ({ emu, guild }) => {
        channels.vmm = emu.addChannel(guild.guildId, { name: 'vmm-wg' });
        channels.lobby = emu.addChannel(guild.guildId, { name: 'lobby' });
        return [
          {
            id: 'vmm',
            guild: guild.guildId,
            voiceChannel: guild.otherVoiceChannelId,
            textChannel: channels.vmm,
            timeZone: 'Europe/Berlin',
            open: '0 16 * * 3',
            durationMinutes: 60,
            threadName: 'VMM WG {yyyy}-{mm}-{dd}',
            teams: ['vmm'],
            location: 'Online, Discord, the `#{voiceChannelName}` voice channel',
            maintainerRoles: [guild.maintainerRoleId],
            minPresenceMinutes: 5,
            notesPath: 'vmm/{yyyy}-{mm}-{dd}.md',
          },
        ];
      },
    });
    const harness = h;
    const { maintainer, alice } = harness.guild.members;

    // The option offers the guild's series.
    const offered = await harness.emu.autocomplete(maintainer, channels.lobby, 'meeting start', { series: '' }, 'series').waitForAck();
    expect(offered.data?.choices).toEqual([
      { name: 'hackathon', value: 'hackathon' },
      { name: 'vmm', value: 'vmm' },
    ]);

    // In a channel of neither series, without series:, Scribe cannot guess.
    const unsure = await run(harness, maintainer, channels.lobby, 'meeting start');
    expect(unsure.content).toBe("Say which series to start (series: hackathon, vmm), or run this in the series' channel.");
    const unknown = await run(harness, maintainer, channels.lobby, 'meeting start', { series: 'nope' });
    expect(unknown.content).toBe('There is no series "nope" in this server. Series here: hackathon, vmm.');
    expect(harness.emu.threads(channels.vmm)).toHaveLength(0);
    expect(harness.emu.threads(channels.lobby)).toHaveLength(0);

    // series: wins over the channel: from the hackathon's channel, open the VMM meeting, in the VMM channel.
    const vmm = await run(harness, maintainer, harness.guild.textChannelId, 'meeting start', { series: 'vmm' });
    const vmmThread = /^Opened <#(\d+)>\. It ends <t:(\d+):F>\.$/.exec(vmm.content);
    expect(vmmThread?.[2]).toBe(String(Date.parse('2022-03-19T09:00:00Z') / 1000));
    expect(harness.emu.threads(channels.vmm).map((t) => [t.id, t.name])).toEqual([[vmmThread?.[1], 'VMM WG 2022-03-19']]);
    expect(harness.emu.threads(harness.guild.textChannelId).map((t) => t.name)).toEqual(['Hackathon 2022-03-19']);

    // Without series:, the channel's own series (opened at start-up already: the harness starts at its opening time).
    const hackathonThread = await startMeeting(harness);
    expect(harness.emu.threads(harness.guild.textChannelId).map((t) => [t.id, t.name])).toEqual([[hackathonThread, 'Hackathon 2022-03-19']]);
    const again = await run(harness, maintainer, channels.lobby, 'meeting start', { series: 'vmm' });
    expect(again.content).toBe(`The meeting of 2022-03-19 is already open: <#${vmmThread?.[1]}>.`);

    // The two meetings keep their updates apart, and each is ended by its own timer.
    await giveUpdate(harness, alice, vmmThread?.[1] ?? '', '* vmm work');
    await giveUpdate(harness, alice, hackathonThread, '* hackathon work');
    expect((await harness.store.updates.get('vmm/2022-03-19', alice))?.update.bullets.map((b) => b.text)).toEqual(['vmm work']);
    expect((await harness.store.updates.get(KEY, alice))?.update.bullets.map((b) => b.text)).toEqual(['hackathon work']);

    harness.clock.set('2022-03-19T09:00:00Z');
    harness.timers.fireDue();
    await eventually(async () => (await harness.store.meetings.get('vmm/2022-03-19'))?.status === 'ended');
    expect(lastNotesFile(harness, vmmThread?.[1] ?? '')).toContain('* vmm work\n');
    expect(lastNotesFile(harness, vmmThread?.[1] ?? '')).not.toContain('hackathon work');
    expect((await harness.store.meetings.get(KEY))?.status).toBe('open');
  });
});

describe('/update for: through the form', () => {
  it("a maintainer opens a member's form, pre-filled with their bullets, and saves it for them", async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { alice, maintainer } = h.guild.members;
    await giveUpdate(h, alice, thread, '* reviewed a PR[1]\n[1]: https://example.org/pr/1');

    const asked = await h.emu.slash(maintainer, thread, 'update', { for: alice }).waitForAck();
    expect(asked.type).toBe(9);
    expect(asked.data?.title).toBe('Update for ȘtefanJ');
    const input = (asked.data?.components as { components: { custom_id?: string; value?: string }[] }[] | undefined)?.[0]?.components[0];
    expect(input?.value).toBe('* reviewed a PR[1]\n[1]: https://example.org/pr/1');

    const saved = await h.emu
      .submitModal(maintainer, thread, String(asked.data?.custom_id), { [input?.custom_id ?? 'bullets']: `${input?.value ?? ''}\n* and merged it` })
      .waitForAnswer();
    expect(saved.content).toMatch(/^Saved\. ȘtefanJ's update, as it will appear in the notes:\n/);
    expect(saved.content).toContain('* reviewed a PR[1]\n* and merged it\n');
    expect(saved.flags & 64).toBe(64);

    const stored = await h.store.updates.get(KEY, alice);
    expect(stored?.update.bullets.map((b) => b.text)).toEqual(['reviewed a PR[1]', 'and merged it']);
    expect(stored?.authorId).toBe(maintainer);
    // The maintainer has given nothing of their own.
    expect(await h.store.updates.get(KEY, maintainer)).toBeUndefined();

    await run(h, maintainer, thread, 'summary');
    expect(lastNotesFile(h, thread)).toContain('\nȘtefanJ\n* reviewed a PR[1]\n* and merged it\n');
  });
});
