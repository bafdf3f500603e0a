import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Events, GatewayIntentBits as I, type VoiceState } from 'discord.js';
import { startEmulator, type Emulator, type SeededGuild } from '../emulator/index.ts';
import { makeClient } from '../emulator/client.ts';

let emu: Emulator;
let g: SeededGuild;
let client: Client;
const updates: { old: string | null; now: string | null; user: string; memberCached: boolean; name: string | undefined }[] = [];

beforeAll(async () => {
  emu = await startEmulator({ heartbeatIntervalMs: 250 });
  g = emu.seedGuild({ voice: false });
  // No GuildMembers intent: members who join later are only known through their voice state's member.
  client = await makeClient(emu, [I.Guilds, I.GuildVoiceStates]);
  client.on(Events.VoiceStateUpdate, (oldState: VoiceState, newState: VoiceState) => {
    updates.push({
      old: oldState.channelId,
      now: newState.channelId,
      user: newState.id,
      memberCached: newState.guild.members.cache.has(newState.id),
      name: newState.member?.displayName,
    });
  });
});
afterAll(async () => {
  await client?.destroy();
  await emu?.close();
});

describe('voice', () => {
  it('join, move and leave reach the client as VOICE_STATE_UPDATE with the member cached', async () => {
    const newcomer = emu.addMember(g.guildId, { username: 'dan', globalName: 'Dan D' });
    expect(client.guilds.cache.get(g.guildId)?.members.cache.has(newcomer)).toBe(false);

    emu.voiceJoin(newcomer, g.voiceChannelId);
    await expect.poll(() => updates.length).toBe(1);
    emu.voiceMove(newcomer, g.otherVoiceChannelId);
    await expect.poll(() => updates.length).toBe(2);
    emu.voiceLeave(newcomer);
    await expect.poll(() => updates.length).toBe(3);

    expect(updates).toEqual([
      { old: null, now: g.voiceChannelId, user: newcomer, memberCached: true, name: 'Dan D' },
      { old: g.voiceChannelId, now: g.otherVoiceChannelId, user: newcomer, memberCached: true, name: 'Dan D' },
      { old: g.otherVoiceChannelId, now: null, user: newcomer, memberCached: true, name: 'Dan D' },
    ]);
    expect(emu.voiceStates(g.guildId)).toHaveLength(0);
    expect(client.guilds.cache.get(g.guildId)?.voiceStates.cache.get(newcomer)?.channelId ?? null).toBeNull();
  });

  it('refuses to put a user in a text channel', () => {
    expect(() => emu.voiceJoin(g.members.bob, g.textChannelId)).toThrow(/not a voice channel/);
  });
});
