import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelType, type Client, type GuildMember, type MessageCreateOptions } from 'discord.js';
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

  async #textChannel(id: string) {
    const channel = await this.#client.channels.fetch(id);
    if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) {
      throw new Error(`channel ${id} is not a text or announcement channel; threads cannot be opened there`);
    }
    return channel;
  }

  async createThread(parentChannelId: string, name: string): Promise<string> {
    const parent = await this.#textChannel(parentChannelId);
    for (let attempt = 0; ; attempt++) {
      try {
        const thread =
          parent.type === ChannelType.GuildText
            ? await parent.threads.create({ name, autoArchiveDuration: AUTO_ARCHIVE_MINUTES, type: ChannelType.PublicThread })
            : await parent.threads.create({ name, autoArchiveDuration: AUTO_ARCHIVE_MINUTES });
        return thread.id;
      } catch (error) {
        const wait = CREATE_THREAD_BACKOFF_MS[attempt];
        if (wait === undefined || !isTransient(error)) throw error;
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
    const active = await parent.threads.fetchActive(false);
    const found = active.threads.find(ours) ?? (await parent.threads.fetchArchived({ type: 'public' }, false)).threads.find(ours);
    return found?.id ?? null;
  }

  /**
   * The bot's own message with exactly this content (as Discord stores it: trimmed), posted after
   * `afterMessageId` (or among the channel's latest messages), oldest first: how a message posted just
   * before a crash, whose id was never recorded, is found instead of being posted again.
   */
  async findOwnMessage(channelId: string, content: string, afterMessageId?: string): Promise<string | null> {
    const channel = await this.#client.channels.fetch(channelId);
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
    const channel = await this.#client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`cannot send messages to channel ${channelId}`);
    const options: MessageCreateOptions = {
      content: message.content,
      allowedMentions: { parse: [], users: [...(message.allowedUserMentions ?? [])] },
      files: (message.files ?? []).map((f) => ({ attachment: Buffer.from(f.content, 'utf8'), name: f.name })),
    };
    const sent = await channel.send(options);
    return sent.id;
  }

  async archiveThread(threadId: string): Promise<void> {
    const channel = await this.#client.channels.fetch(threadId);
    if (!channel?.isThread()) return;
    if (!channel.archived) await channel.setArchived(true, 'meeting ended');
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
