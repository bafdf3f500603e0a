// Permission bits and Discord's permission computation (base from roles, then channel overwrites).

export const Perm = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ChangeNickname: 1n << 26n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
} as const;

export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** What Discord grants @everyone in a new server (roughly), enough for members to chat, talk and use commands. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Perm.CreateInstantInvite |
  Perm.AddReactions |
  Perm.ViewChannel |
  Perm.SendMessages |
  Perm.EmbedLinks |
  Perm.AttachFiles |
  Perm.ReadMessageHistory |
  Perm.Connect |
  Perm.Speak |
  Perm.ChangeNickname |
  Perm.UseApplicationCommands |
  Perm.CreatePublicThreads |
  Perm.CreatePrivateThreads |
  Perm.SendMessagesInThreads;

/**
 * The README's invite integer, 326417615872: View Channels, Send Messages, Send Messages in Threads, Create
 * Public Threads, Manage Threads, Attach Files, Read Message History. The bot's managed role holds exactly this.
 */
export const INVITE_PERMISSIONS =
  Perm.ViewChannel |
  Perm.SendMessages |
  Perm.SendMessagesInThreads |
  Perm.CreatePublicThreads |
  Perm.ManageThreads |
  Perm.AttachFiles |
  Perm.ReadMessageHistory;

/** What the bot's role held before it matched the invite: the invite plus Embed Links, Connect, Use Application Commands, Manage Messages. */
export const LEGACY_BOT_ROLE_PERMISSIONS = INVITE_PERMISSIONS | Perm.EmbedLinks | Perm.Connect | Perm.UseApplicationCommands | Perm.ManageMessages;

export interface Overwrite {
  id: string;
  /** 0 = role, 1 = member */
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface PermissionInputs {
  guildId: string;
  ownerId: string;
  userId: string;
  /** Role ids of the member, without @everyone. */
  memberRoles: readonly string[];
  rolePermissions: (roleId: string) => bigint | undefined;
  /** Overwrites of the channel (of the parent for a thread); undefined for guild-level permissions. */
  overwrites?: readonly Overwrite[] | undefined;
}

/** Discord's algorithm: owner and Administrator get everything; else roles OR'd, then @everyone, role, member overwrites. */
export function computePermissions(p: PermissionInputs): bigint {
  if (p.userId === p.ownerId) return ALL_PERMISSIONS;
  let base = p.rolePermissions(p.guildId) ?? 0n;
  for (const r of p.memberRoles) base |= p.rolePermissions(r) ?? 0n;
  if ((base & Perm.Administrator) !== 0n) return ALL_PERMISSIONS;
  if (!p.overwrites) return base;
  let perms = base;
  const everyone = p.overwrites.find((o) => o.type === 0 && o.id === p.guildId);
  if (everyone) perms = (perms & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const o of p.overwrites) {
    if (o.type === 0 && o.id !== p.guildId && p.memberRoles.includes(o.id)) {
      allow |= o.allow;
      deny |= o.deny;
    }
  }
  perms = (perms & ~deny) | allow;
  const member = p.overwrites.find((o) => o.type === 1 && o.id === p.userId);
  if (member) perms = (perms & ~member.deny) | member.allow;
  // Without View Channel nothing else in the channel is usable.
  if ((perms & Perm.ViewChannel) === 0n) return 0n;
  return perms;
}

export function has(perms: bigint, needed: bigint): boolean {
  return (perms & needed) === needed;
}
