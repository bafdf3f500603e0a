/**
 * The benchmark's Discord: one guild with a maintainer and 1,000 members who all sit in the meeting's
 * voice channel, a text channel for the meeting threads, and the command registration both bots need.
 */
import type { Emulator } from '../../test/emulator/index.ts';
import { Perm } from '../../test/emulator/index.ts';

export interface BenchWorld {
  readonly guildId: string;
  readonly textChannelId: string;
  readonly voiceChannelId: string;
  readonly maintainerRoleId: string;
  readonly maintainerId: string;
  /** The 1,000 members, in creation order. */
  readonly memberIds: readonly string[];
}

/** Seeds the world before any bot connects, so each bot gets it all in one GUILD_CREATE. */
export function seedWorld(emu: Emulator, members: number): BenchWorld {
  const guildId = emu.addGuild({ name: 'Unikraft' });
  const maintainerRoleId = emu.addRole(guildId, { name: 'Maintainer', permissions: Perm.ManageThreads | Perm.ManageMessages, mentionable: true });
  const textChannelId = emu.addChannel(guildId, { name: 'hackathon', type: 'text', topic: 'Meeting notes' });
  const voiceChannelId = emu.addChannel(guildId, { name: 'monkey-business', type: 'voice' });
  const maintainerId = emu.addMember(guildId, { username: 'razvand', globalName: 'Razvan D', roles: [maintainerRoleId] });
  const memberIds: string[] = [];
  for (let i = 0; i < members; i += 1) {
    const n = String(i).padStart(4, '0');
    // A nickname on every fifth member, so name resolution has both cases to handle.
    const id = emu.addMember(guildId, { username: `member${n}`, globalName: `Member ${n}`, ...(i % 5 === 0 ? { nick: `Nick ${n}` } : {}) });
    memberIds.push(id);
  }
  for (const id of [maintainerId, ...memberIds]) emu.voiceJoin(id, voiceChannelId);
  return { guildId, textChannelId, voiceChannelId, maintainerRoleId, maintainerId, memberIds };
}

/** Replaces the guild's commands through the emulator's REST API, as a deploy would. */
export async function registerGuildCommands(emu: Emulator, guildId: string, commands: readonly unknown[]): Promise<void> {
  const res = await fetch(`${emu.restUrl}/v10/applications/${emu.applicationId}/guilds/${guildId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(commands),
  });
  if (!res.ok) throw new Error(`registering ${commands.length} commands failed: ${res.status} ${await res.text()}`);
}

/** The bare bot's one command. */
export const BARE_COMMANDS = [{ name: 'update', description: 'Give your update for the meeting', type: 1 }] as const;
