// The emulator's state records. Plain data: the REST and gateway layers serialize them to Discord JSON.
import type { Overwrite } from './permissions.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Discord channel types the emulator knows. */
export const ChannelType = {
  GuildText: 0,
  GuildVoice: 2,
  GuildCategory: 4,
  GuildAnnouncement: 5,
  AnnouncementThread: 10,
  PublicThread: 11,
  PrivateThread: 12,
  GuildStageVoice: 13,
  GuildForum: 15,
  GuildMedia: 16,
} as const;
export type ChannelTypeValue = (typeof ChannelType)[keyof typeof ChannelType];

export const THREAD_TYPES: readonly number[] = [10, 11, 12];
/** Channels that may hold threads (a voice channel's chat may not). */
export const THREAD_PARENT_TYPES: readonly number[] = [0, 5, 15, 16];
export const VOICE_TYPES: readonly number[] = [2, 13];

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface RoleRecord {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  mentionable: boolean;
  managed: boolean;
  hoist: boolean;
  color: number;
}

export interface MemberRecord {
  guildId: string;
  userId: string;
  nick: string | null;
  /** Without @everyone. */
  roles: string[];
  joinedAt: string;
}

export interface ThreadMetadata {
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: number;
  archiveTimestamp: string;
  createTimestamp: string;
  invitable: boolean;
}

export interface ChannelRecord {
  id: string;
  guildId: string;
  type: ChannelTypeValue;
  name: string;
  position: number;
  parentId: string | null;
  topic: string | null;
  overwrites: Overwrite[];
  lastMessageId: string | null;
  /** Threads only. */
  ownerId: string | null;
  thread: ThreadMetadata | null;
  messageCount: number;
  /** Users who joined the thread (its creator, people who posted). */
  threadMembers: Set<string>;
  userLimit: number;
  bitrate: number;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  createdAt: string;
}

export interface VoiceStateRecord {
  guildId: string;
  channelId: string;
  userId: string;
  sessionId: string;
  selfMute: boolean;
  selfDeaf: boolean;
  mute: boolean;
  deaf: boolean;
  selfVideo: boolean;
  suppress: boolean;
}

/** A file the bot uploaded; the bytes are kept so tests can read posted notes. */
export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string | null;
  description: string | null;
  size: number;
  bytes: Buffer;
  url: string;
  /** The bytes decoded as UTF-8. */
  text(): string;
}

export interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

/** Who would be pinged by a message, under Discord's allowed_mentions rules. */
export interface MentionResult {
  users: string[];
  roles: string[];
  /** @everyone or @here would ping. */
  everyone: boolean;
  /** The author of the replied-to message would be pinged. */
  repliedUser: string | null;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string;
  authorId: string;
  /** Set when a webhook (an interaction response or follow-up) posted it. */
  webhookId: string | null;
  applicationId: string | null;
  content: string;
  embeds: Json[];
  components: Json[];
  attachments: StoredAttachment[];
  /** Message flags (64 = ephemeral, 128 = loading "thinking…"). */
  flags: number;
  tts: boolean;
  /** allowed_mentions as sent by the bot, undefined when absent. */
  allowedMentions: AllowedMentions | undefined;
  /** Who would have been pinged. */
  mentions: MentionResult;
  messageReference: { message_id: string; channel_id: string } | null;
  /** The interaction this message answers, if any. */
  interactionId: string | null;
  createdAt: string;
  editedAt: string | null;
  /** A thread started from this message. */
  threadId: string | null;
  deleted: boolean;
  /** Ephemeral messages are only visible to the invoking user: not listed by messages(channel) by default. */
  ephemeral: boolean;
  /** Raw nonce the bot sent, kept for fidelity. */
  nonce: string | null;
}

export interface CommandRecord {
  id: string;
  applicationId: string;
  guildId: string | null;
  name: string;
  type: number;
  version: string;
  /** The definition as sent by the bot (description, options, default_member_permissions, …). */
  body: JsonObject;
}
