import { ChannelType, type Client, type GuildMember, type MessageCreateOptions } from 'discord.js';
import type { DiscordPort, OutgoingMessage, VoiceMember } from '../meetings/ports.ts';
import type { MemberIdentity } from '../store/records.ts';

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
    const thread =
      parent.type === ChannelType.GuildText
        ? await parent.threads.create({ name, autoArchiveDuration: AUTO_ARCHIVE_MINUTES, type: ChannelType.PublicThread })
        : await parent.threads.create({ name, autoArchiveDuration: AUTO_ARCHIVE_MINUTES });
    return thread.id;
  }

  /**
   * After a crash between creating a thread and recording it, the thread is in the guild's active
   * threads (GUILD_CREATE and THREAD_CREATE fill the cache), so the cache is where it is looked for.
   */
  async findThreadByName(parentChannelId: string, name: string): Promise<string | null> {
    const me = this.#client.user?.id;
    const found = this.#client.channels.cache.find(
      (c) => c.isThread() && c.parentId === parentChannelId && c.name === name && (me === undefined || c.ownerId === me),
    );
    return found?.id ?? null;
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
