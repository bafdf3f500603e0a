/**
 * The many-guilds benchmark's Discord: N small guilds, each with a text and a voice channel, a maintainer
 * role and three members (a maintainer, alice in voice, bob), seeded before any bot connects so that each
 * bot gets them all as GUILD_CREATEs at identify. Kept cheap on purpose: the cost measured is per guild.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { loadCommands } from '../src/discord/load-commands.ts';
import type { Emulator } from '../test/emulator/index.ts';
import { Perm } from '../test/emulator/index.ts';

export interface SmallGuild {
  readonly guildId: string;
  readonly textChannelId: string;
  readonly voiceChannelId: string;
  readonly maintainerRoleId: string;
  readonly maintainerId: string;
  readonly aliceId: string;
  readonly bobId: string;
}

export function seedGuilds(emu: Emulator, count: number): SmallGuild[] {
  const guilds: SmallGuild[] = [];
  for (let i = 0; i < count; i += 1) {
    const guildId = emu.addGuild({ name: `Community ${i}` });
    const maintainerRoleId = emu.addRole(guildId, { name: 'Maintainer', permissions: Perm.ManageThreads | Perm.ManageMessages, mentionable: true });
    const textChannelId = emu.addChannel(guildId, { name: 'meetings', type: 'text' });
    const voiceChannelId = emu.addChannel(guildId, { name: 'meeting-room', type: 'voice' });
    const maintainerId = emu.addMember(guildId, { username: `maintainer${i}`, globalName: `Maintainer ${i}`, roles: [maintainerRoleId] });
    const aliceId = emu.addMember(guildId, { username: `alice${i}`, globalName: `Alice ${i}` });
    const bobId = emu.addMember(guildId, { username: `bob${i}`, globalName: null });
    emu.voiceJoin(aliceId, voiceChannelId);
    guilds.push({ guildId, textChannelId, voiceChannelId, maintainerRoleId, maintainerId, aliceId, bobId });
  }
  return guilds;
}

/**
 * Scribe's configuration: one series per guild. `open` is a cron expression in UTC; the memory runs
 * use one that is never due while they run.
 */
export function writeScribeConfig(path: string, guilds: readonly SmallGuild[], open: string): void {
  const series = guilds.map((g, i) => ({
    id: `community-${i}`,
    guild: g.guildId,
    voiceChannel: g.voiceChannelId,
    textChannel: g.textChannelId,
    timeZone: 'UTC',
    open,
    durationMinutes: 120,
    threadName: 'Meeting {yyyy}-{mm}-{dd}',
    teams: ['community'],
    location: 'Online, Discord, the `#{voiceChannelName}` voice channel',
    maintainerRoles: [g.maintainerRoleId],
    notesPath: 'meetings/{yyyy}-{mm}-{dd}.md',
  }));
  writeFileSync(path, stringify({ series }));
}

/** Scribe's commands, registered globally in one request (2,500 guild registrations would take 50 s at 50 a second). */
export async function registerScribeCommands(emu: Emulator): Promise<void> {
  const body = (await loadCommands()).map((m) => m.data);
  const res = await fetch(`${emu.restUrl}/v10/applications/${emu.applicationId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`registering Scribe's commands failed: ${res.status} ${await res.text()}`);
}
