import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChannelType,
  DiscordAPIError,
  PermissionFlagsBits,
  type Client,
  type GuildBasedChannel,
  type GuildMember,
  type MessageCreateOptions,
} from 'discord.js';
import { ChannelUnavailableError } from '../meetings/port-errors.ts';
import type { DiscordPort, OutgoingMessage, VoiceMember } from '../meetings/ports.ts';
import type { MemberIdentity } from '../meetings/records.ts';

/** How a member appears on Discord, for the notes name (nickname, else display name). */
export function identityOf(member: Pick<GuildMember, 'nickname' | 'displayName' | 'user'>): MemberIdentity {
  const displayName = member.user.globalName ?? member.user.username;
  return member.nickname ? { nick: member.nickname, displayName } : { displayName };
}

/**
 * Threads last a day of inactivity before Discord archives them on its own; Scribe archives its
 * thread itself when the meeting ends.
 */
const AUTO_ARCHIVE_MINUTES = 1440;

/**
 * discord.js retries a 5xx three times at once; a Discord outage outlasts that, so thread creation
 * (the one step a meeting cannot open without) waits and tries again, a little longer each time.
 */
const CREATE_THREAD_BACKOFF_MS = [250, 500, 1_000, 2_000] as const;

/** Discord's codes for a channel that is gone, and for one Scribe may not see or act in. */
const UNKNOWN_CHANNEL = 10003;
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;

/** Permission flags as Discord's settings name them, for the words maintainers read. */
const PERMISSION_WORDS: Readonly<Record<string, string>> = {
  ViewChannel: 'View Channels',
  SendMessages: 'Send Messages',
  SendMessagesInThreads: 'Send Messages in Threads',
  CreatePublicThreads: 'Create Public Threads',
  ManageThreads: 'Manage Threads',
  AttachFiles: 'Attach Files',
  ReadMessageHistory: 'Read Message History',
};

function permissionWords(flags: readonly string[]): string[] {
  return flags.map((flag) => PERMISSION_WORDS[flag] ?? flag.replace(/(?<=[a-z])(?=[A-Z])/g, ' '));
}

/** The permissions of `needed` the bot lacks in the channel, by what Discord last sent (empty when unknown). */
function missingIn(channel: GuildBasedChannel, needed: bigint): string[] {
  const me = channel.guild.members.me;
  const permissions = me ? channel.permissionsFor(me) : null;
  return permissions ? permissionWords(permissions.missing(needed)) : [];
}

/** Refuses before asking Discord when its last word says the bot may not do this (an invalid request counts against the bot). */
function requirePermissions(channel: GuildBasedChannel, needed: bigint): void {
  const missing = missingIn(channel, needed);
  if (missing.length > 0) throw new ChannelUnavailableError(channel.id, 'no-access', missing);
}

/** Discord's refusals about a channel, as the meeting core's error; anything else unchanged. */
function translated(error: unknown, channelId: string, channel?: GuildBasedChannel, needed?: bigint): unknown {
  if (!(error instanceof DiscordAPIError)) return error;
  if (error.code === UNKNOWN_CHANNEL) return new ChannelUnavailableError(channelId, 'gone', [], { cause: error });
  if (error.code === MISSING_ACCESS) return new ChannelUnavailableError(channelId, 'no-access', ['View Channels'], { cause: error });
  if (error.code === MISSING_PERMISSIONS) {
    const missing = channel && needed !== undefined ? missingIn(channel, needed) : [];
    return new ChannelUnavailableError(channelId, 'no-access', missing, { cause: error });
  }
  return error;
}

function isTransient(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status >= 500;
  return error instanceof Error && error.name === 'AbortError';
}

/** The meeting core's view of Discord, on discord.js. */
export class DiscordJsPort implements DiscordPort {
  readonly #client: Client;

  constructor(client: Client) {
    this.#client = client;
  }

  /** A channel, from the cache or Discord; a deleted one, or one Scribe may not see, as ChannelUnavailableError. */
  async #channel(id: string) {
    try {
      return await this.#client.channels.fetch(id);
    } catch (error) {
      throw translated(error, id);
    }
  }

  async #textChannel(id: string) {
    const channel = await this.#channel(id);
    if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) {
      throw new Error(`channel ${id} is not a text or announcement channel; threads cannot be opened there`);
    }
    return channel;
  }

  async createThread(parentChannelId: string, name: string): Promise<string> {
    const parent = await this.#textChannel(parentChannelId);
    const needed = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.CreatePublicThreads;
    requirePermissions(parent, needed);
    for (let attempt = 0; ; attempt++) {
      try {
        const thread =
          parent.type === ChannelType.GuildText
            ? await parent.threads.create({ name, autoArchiveDuration: AUTO_ARCHIVE_MINUTES, type: ChannelType.PublicThread })
            : await parent.threads.create({ name, autoArchiveDuration: AUTO_ARCHIVE_MINUTES });
        return thread.id;
      } catch (error) {
        const wait = CREATE_THREAD_BACKOFF_MS[attempt];
        if (wait === undefined || !isTransient(error)) throw translated(error, parentChannelId, parent, needed);
        await sleep(wait);
        // A 5xx can come after Discord made the thread; its THREAD_CREATE has then put it in the cache.
        const found = await this.findThreadByName(parentChannelId, name).catch(() => null);
        if (found !== null) return found;
      }
    }
  }

  /**
   * After a crash between creating a thread and recording it, the thread is usually in the cache
   * (GUILD_CREATE and THREAD_CREATE fill it). A THREAD_CREATE sent while no session was connected, or
   * a thread archived meanwhile, is not: then Discord is asked for the channel's active threads and
   * its newest archived public ones.
   */
  async findThreadByName(parentChannelId: string, name: string): Promise<string | null> {
    const me = this.#client.user?.id;
    const ours = (c: { parentId: string | null; name: string; ownerId: string | null }) =>
      c.parentId === parentChannelId && c.name === name && (me === undefined || c.ownerId === me);
    const cached = this.#client.channels.cache.find((c) => c.isThread() && ours(c));
    if (cached) return cached.id;
    const parent = await this.#textChannel(parentChannelId);
    try {
      const active = await parent.threads.fetchActive(false);
      const found = active.threads.find(ours) ?? (await parent.threads.fetchArchived({ type: 'public' }, false)).threads.find(ours);
      return found?.id ?? null;
    } catch (error) {
      throw translated(error, parentChannelId, parent, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);
    }
  }

  /**
   * The bot's own message with exactly this content (as Discord stores it: trimmed), posted after
   * `afterMessageId` (or among the channel's latest messages), oldest first: how a message posted just
   * before a crash, whose id was never recorded, is found instead of being posted again.
   */
  async findOwnMessage(channelId: string, content: string, afterMessageId?: string): Promise<string | null> {
    const channel = await this.#channel(channelId);
    if (!channel?.isTextBased()) return null;
    const me = this.#client.user?.id;
    let after = afterMessageId;
    // A few pages: the message sought was posted shortly before the crash.
    for (let page = 0; page < 10; page++) {
      const batch = await channel.messages.fetch({ limit: 100, cache: false, ...(after === undefined ? {} : { after }) });
      const oldestFirst = [...batch.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      const hit = oldestFirst.find((m) => m.author.id === me && m.content === content);
      if (hit) return hit.id;
      if (after === undefined || batch.size < 100) return null;
      after = oldestFirst.at(-1)?.id;
    }
    return null;
  }

  async postMessage(channelId: string, message: OutgoingMessage): Promise<string> {
    const channel = await this.#channel(channelId);
    if (!channel?.isSendable()) throw new Error(`cannot send messages to channel ${channelId}`);
    const files = message.files ?? [];
    const needed =
      PermissionFlagsBits.ViewChannel |
      (channel.isThread() ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages) |
      (files.length > 0 ? PermissionFlagsBits.AttachFiles : 0n);
    if (!channel.isDMBased()) requirePermissions(channel, needed);
    const options: MessageCreateOptions = {
      content: message.content,
      allowedMentions: { parse: [], users: [...(message.allowedUserMentions ?? [])] },
      files: files.map((f) => ({ attachment: Buffer.from(f.content, 'utf8'), name: f.name })),
    };
    try {
      const sent = await channel.send(options);
      return sent.id;
    } catch (error) {
      throw translated(error, channelId, channel.isDMBased() ? undefined : channel, needed);
    }
  }

  /** What posting the notes needs in the thread, by what Discord last sent: no request is made for a cached thread. */
  async checkThread(threadId: string): Promise<void> {
    const channel = await this.#channel(threadId);
    if (!channel?.isThread()) throw new ChannelUnavailableError(threadId, 'gone');
    requirePermissions(channel, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessagesInThreads | PermissionFlagsBits.AttachFiles);
  }

  /**
   * Asks Discord even when the cache says archived: a message just posted unarchived the thread, and
   * the THREAD_UPDATE saying so may not have arrived yet.
   */
  async archiveThread(threadId: string): Promise<void> {
    const channel = await this.#channel(threadId);
    if (!channel?.isThread()) return;
    try {
      await channel.setArchived(true, 'meeting ended');
    } catch (error) {
      throw translated(error, threadId, channel, PermissionFlagsBits.ViewChannel);
    }
  }

  async voiceMembers(voiceChannelId: string): Promise<VoiceMember[]> {
    const channel = await this.#client.channels.fetch(voiceChannelId);
    if (!channel?.isVoiceBased()) return [];
    return channel.members.map((member) => ({ userId: member.id, ...identityOf(member), bot: member.user.bot }));
  }

  async channelName(channelId: string): Promise<string | null> {
    const channel = await this.#client.channels.fetch(channelId).catch(() => null);
    return channel && 'name' in channel && typeof channel.name === 'string' ? channel.name : null;
  }
}
