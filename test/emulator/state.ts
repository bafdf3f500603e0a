// In-memory Discord state shared by the REST server, the gateway and the driving API, plus its JSON forms.
import {
  THREAD_TYPES,
  type ChannelRecord,
  type CommandRecord,
  type GuildRecord,
  type Json,
  type JsonObject,
  type MemberRecord,
  type RoleRecord,
  type StoredAttachment,
  type StoredMessage,
  type UserRecord,
  type VoiceStateRecord,
} from './model.ts';
import { computePermissions } from './permissions.ts';
import { SnowflakeGenerator } from './snowflake.ts';

export class EmulatorState {
  readonly ids = new SnowflakeGenerator();
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly roles = new Map<string, RoleRecord>();
  /** key `${guildId}:${userId}` */
  readonly members = new Map<string, MemberRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  /** key `${guildId}:${userId}` */
  readonly voiceStates = new Map<string, VoiceStateRecord>();
  readonly messages = new Map<string, StoredMessage>();
  /** Message ids per channel, in creation order. */
  readonly channelMessages = new Map<string, string[]>();
  readonly commands = new Map<string, CommandRecord>();

  constructor(
    readonly applicationId: string,
    readonly botUserId: string,
  ) {}

  // ---- lookups -------------------------------------------------------------------------------

  member(guildId: string, userId: string): MemberRecord | undefined {
    return this.members.get(`${guildId}:${userId}`);
  }

  guildMembers(guildId: string): MemberRecord[] {
    return [...this.members.values()].filter((m) => m.guildId === guildId);
  }

  guildRoles(guildId: string): RoleRecord[] {
    return [...this.roles.values()].filter((r) => r.guildId === guildId);
  }

  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((c) => c.guildId === guildId && !THREAD_TYPES.includes(c.type));
  }

  guildThreads(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((c) => c.guildId === guildId && THREAD_TYPES.includes(c.type));
  }

  guildVoiceStates(guildId: string): VoiceStateRecord[] {
    return [...this.voiceStates.values()].filter((v) => v.guildId === guildId);
  }

  isThread(channel: ChannelRecord): boolean {
    return THREAD_TYPES.includes(channel.type);
  }

  /** Permissions of a user in a guild, or in a channel (a thread uses its parent's overwrites). */
  permissions(guildId: string, userId: string, channelId?: string): bigint {
    const guild = this.guilds.get(guildId);
    const member = this.member(guildId, userId);
    if (!guild || !member) return 0n;
    let channel = channelId ? this.channels.get(channelId) : undefined;
    if (channel && this.isThread(channel) && channel.parentId) channel = this.channels.get(channel.parentId);
    return computePermissions({
      guildId,
      ownerId: guild.ownerId,
      userId,
      memberRoles: member.roles,
      rolePermissions: (id) => this.roles.get(id)?.permissions,
      overwrites: channel?.overwrites,
    });
  }

  channelMessageList(channelId: string): StoredMessage[] {
    const ids = this.channelMessages.get(channelId) ?? [];
    const out: StoredMessage[] = [];
    for (const id of ids) {
      const m = this.messages.get(id);
      if (m && !m.deleted) out.push(m);
    }
    return out;
  }

  /** Removes messages from the store and from their channels' lists (nothing is dispatched). */
  dropMessages(ids: ReadonlySet<string>): void {
    if (ids.size === 0) return;
    const channels = new Set<string>();
    for (const id of ids) {
      const m = this.messages.get(id);
      if (!m) continue;
      this.messages.delete(id);
      channels.add(m.channelId);
    }
    for (const channelId of channels) {
      const list = this.channelMessages.get(channelId);
      if (list)
        this.channelMessages.set(
          channelId,
          list.filter((id) => !ids.has(id)),
        );
    }
  }

  addMessage(m: StoredMessage): void {
    this.messages.set(m.id, m);
    const list = this.channelMessages.get(m.channelId) ?? [];
    list.push(m.id);
    this.channelMessages.set(m.channelId, list);
    const channel = this.channels.get(m.channelId);
    if (channel && !m.ephemeral) {
      channel.lastMessageId = m.id;
      if (this.isThread(channel)) channel.messageCount += 1;
    }
  }

  // ---- JSON ------------------------------------------------------------------------------------

  userJson(userId: string): JsonObject {
    const u = this.users.get(userId);
    const json: JsonObject = {
      id: userId,
      username: u?.username ?? `user${userId.slice(-4)}`,
      discriminator: '0',
      global_name: u?.globalName ?? null,
      avatar: null,
      public_flags: 0,
      flags: 0,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
    };
    if (u?.bot) json['bot'] = true;
    return json;
  }

  memberJson(m: MemberRecord, withUser = true): JsonObject {
    const json: JsonObject = {
      nick: m.nick,
      avatar: null,
      banner: null,
      roles: [...m.roles],
      joined_at: m.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
    if (withUser) json['user'] = this.userJson(m.userId);
    return json;
  }

  roleJson(r: RoleRecord): JsonObject {
    return {
      id: r.id,
      name: r.name,
      color: r.color,
      colors: { primary_color: r.color, secondary_color: null, tertiary_color: null },
      hoist: r.hoist,
      icon: null,
      unicode_emoji: null,
      position: r.position,
      permissions: r.permissions.toString(),
      managed: r.managed,
      mentionable: r.mentionable,
      flags: 0,
    };
  }

  channelJson(c: ChannelRecord, withGuildId = true): JsonObject {
    const json: JsonObject = {
      id: c.id,
      type: c.type,
      name: c.name,
      parent_id: c.parentId,
      last_message_id: c.lastMessageId,
      flags: 0,
      rate_limit_per_user: 0,
    };
    if (withGuildId) json['guild_id'] = c.guildId;
    if (c.thread) {
      json['owner_id'] = c.ownerId;
      json['message_count'] = c.messageCount;
      json['total_message_sent'] = c.messageCount;
      json['member_count'] = c.threadMembers.size;
      json['thread_metadata'] = {
        archived: c.thread.archived,
        locked: c.thread.locked,
        auto_archive_duration: c.thread.autoArchiveDuration,
        archive_timestamp: c.thread.archiveTimestamp,
        create_timestamp: c.thread.createTimestamp,
        invitable: c.thread.invitable,
      };
      if (c.threadMembers.has(this.botUserId)) {
        json['member'] = {
          id: c.id,
          user_id: this.botUserId,
          join_timestamp: c.thread.createTimestamp,
          flags: 0,
        };
      }
      return json;
    }
    json['position'] = c.position;
    json['permission_overwrites'] = c.overwrites.map((o) => ({
      id: o.id,
      type: o.type,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    }));
    json['nsfw'] = false;
    if (c.type === 2 || c.type === 13) {
      json['bitrate'] = c.bitrate;
      json['user_limit'] = c.userLimit;
      json['rtc_region'] = null;
    } else {
      json['topic'] = c.topic;
    }
    return json;
  }

  voiceStateJson(v: VoiceStateRecord, withGuild: boolean): JsonObject {
    const json: JsonObject = {
      channel_id: v.channelId,
      user_id: v.userId,
      session_id: v.sessionId,
      deaf: v.deaf,
      mute: v.mute,
      self_deaf: v.selfDeaf,
      self_mute: v.selfMute,
      self_video: v.selfVideo,
      self_stream: false,
      suppress: v.suppress,
      request_to_speak_timestamp: null,
    };
    if (withGuild) {
      json['guild_id'] = v.guildId;
      const m = this.member(v.guildId, v.userId);
      if (m) json['member'] = this.memberJson(m);
    }
    return json;
  }

  attachmentJson(a: StoredAttachment): JsonObject {
    const json: JsonObject = {
      id: a.id,
      filename: a.filename,
      size: a.size,
      url: a.url,
      proxy_url: a.url,
    };
    if (a.contentType) json['content_type'] = a.contentType;
    if (a.description) json['description'] = a.description;
    return json;
  }

  messageJson(m: StoredMessage): JsonObject {
    const json: JsonObject = {
      id: m.id,
      type: m.messageReference ? 19 : m.interactionId ? 20 : 0,
      channel_id: m.channelId,
      guild_id: m.guildId,
      author: this.userJson(m.authorId),
      content: m.content,
      timestamp: m.createdAt,
      edited_timestamp: m.editedAt,
      tts: m.tts,
      mention_everyone: m.mentions.everyone,
      mentions: m.mentions.users.map((u) => this.userJson(u)),
      mention_roles: [...m.mentions.roles],
      attachments: m.attachments.map((a) => this.attachmentJson(a)),
      embeds: m.embeds,
      components: m.components,
      pinned: false,
      flags: m.flags,
    };
    if (m.nonce !== null) json['nonce'] = m.nonce;
    if (m.webhookId) json['webhook_id'] = m.webhookId;
    if (m.applicationId) json['application_id'] = m.applicationId;
    if (m.messageReference) json['message_reference'] = { ...m.messageReference, guild_id: m.guildId, type: 0 };
    if (!m.webhookId) {
      const member = this.member(m.guildId, m.authorId);
      if (member) json['member'] = this.memberJson(member, false);
    }
    if (m.threadId) {
      const thread = this.channels.get(m.threadId);
      if (thread) json['thread'] = this.channelJson(thread);
    }
    return json;
  }

  commandJson(c: CommandRecord): JsonObject {
    const json: JsonObject = {
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      contexts: null,
      integration_types: [0],
      ...c.body,
      id: c.id,
      application_id: c.applicationId,
      name: c.name,
      type: c.type,
      version: c.version,
    };
    if (c.guildId) json['guild_id'] = c.guildId;
    return json;
  }

  guildJson(guildId: string, opts: { voiceStates: boolean }): JsonObject {
    const g = this.guilds.get(guildId);
    if (!g) throw new Error(`unknown guild ${guildId}`);
    const members = this.guildMembers(guildId);
    const json: JsonObject = {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: g.ownerId,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      application_id: null,
      max_members: 500000,
      max_video_channel_users: 25,
      features: [],
      emojis: [],
      stickers: [],
      roles: this.guildRoles(guildId).map((r) => this.roleJson(r)),
      joined_at: this.member(guildId, this.botUserId)?.joinedAt ?? g.createdAt,
      large: false,
      unavailable: false,
      member_count: members.length,
      members: members.map((m) => this.memberJson(m)),
      channels: this.guildChannels(guildId).map((c) => this.channelJson(c, false)),
      threads: this.guildThreads(guildId)
        .filter((t) => !t.thread?.archived)
        .map((t) => this.channelJson(t)),
      voice_states: opts.voiceStates ? this.guildVoiceStates(guildId).map((v) => this.voiceStateJson(v, false)) : [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      lazy: true,
      nsfw: false,
    };
    return json;
  }
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asJson(v: unknown): Json {
  return JSON.parse(JSON.stringify(v ?? null)) as Json;
}
