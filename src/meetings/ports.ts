/**
 * What the meeting core needs from Discord, and nothing more. src/discord/ implements it on discord.js;
 * tests use a plain in-memory fake. Ids are Discord snowflakes as strings.
 */

export interface VoiceMember {
  readonly userId: string;
  /** Server nickname, when set. */
  readonly nick?: string;
  /** Global display name (or username). */
  readonly displayName: string;
  readonly bot: boolean;
}

export interface OutgoingFile {
  readonly name: string;
  readonly content: string;
}

export interface OutgoingMessage {
  readonly content: string;
  readonly files?: readonly OutgoingFile[];
  /**
   * The only users this message may ping. Absent or empty: the message pings nobody (no @everyone,
   * no roles, no users), whatever its text says.
   */
  readonly allowedUserMentions?: readonly string[];
}

export interface DiscordPort {
  /** Creates a public thread in a text channel; returns its id. */
  createThread(parentChannelId: string, name: string): Promise<string>;
  /** A thread of that name in that channel (active or archived) created by the bot, or null. */
  findThreadByName(parentChannelId: string, name: string): Promise<string | null>;
  /** Posts a message; returns its id. */
  postMessage(channelId: string, message: OutgoingMessage): Promise<string>;
  /**
   * The id of the bot's own message with exactly `content` in the channel, posted after
   * `afterMessageId` when given, or null. Used after a restart to find a message posted just before a
   * crash whose id was never recorded. A port without it (an in-memory fake) finds nothing.
   */
  findOwnMessage?(channelId: string, content: string, afterMessageId?: string): Promise<string | null>;
  /**
   * Resolves when Scribe can post in the thread; throws ChannelUnavailableError (port-errors.ts) when it
   * is gone or a permission is missing. Every method here throws that error for those two cases.
   * A port without it (an in-memory fake) takes every thread as usable.
   */
  checkThread?(threadId: string): Promise<void>;
  /** Archives a thread (idempotent). */
  archiveThread(threadId: string): Promise<void>;
  /** Who is in a voice channel now. */
  voiceMembers(voiceChannelId: string): Promise<VoiceMember[]>;
  /** A channel's current name (for the location template), or null when unknown. */
  channelName(channelId: string): Promise<string | null>;
}
