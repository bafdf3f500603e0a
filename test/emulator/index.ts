// A local Discord API emulator the real discord.js client runs against: REST under /api/v10 and the gateway
// on one node:http server. This file is the driving API tests use; see README.md.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Core, type RecordedRequest, type Violation } from './core.ts';
import { FaultSet, type FaultHandle, type RateLimitOptions, type RouteMatcher } from './faults.ts';
import { GatewayServer, type GatewayLogEntry, type SessionInfo } from './gateway.ts';
import { InteractionRegistry, type InteractionHandle, type SlashOptions } from './interactions.ts';
import {
  ChannelType,
  VOICE_TYPES,
  type ChannelRecord,
  type ChannelTypeValue,
  type CommandRecord,
  type JsonObject,
  type MentionResult,
  type StoredMessage,
  type VoiceStateRecord,
} from './model.ts';
import { DEFAULT_EVERYONE_PERMISSIONS, INVITE_PERMISSIONS, Perm, type Overwrite } from './permissions.ts';
import { RateLimiter, type WindowLimit } from './ratelimits.ts';
import { RestApi } from './rest.ts';
import { DEFAULT_RULES, type DiscordRules, type PrivilegedIntent } from './rules.ts';
import { EmulatorState } from './state.ts';

export type { RecordedRequest, Violation } from './core.ts';
export type { FaultHandle, RateLimitOptions, RouteMatcher, RouteRequest } from './faults.ts';
export type { GatewayLogEntry, SessionInfo } from './gateway.ts';
export { Intents } from './gateway.ts';
export type { CallbackEvent, InteractionEvent, InteractionHandle, SlashOptions, OptionValue, WebhookEvent } from './interactions.ts';
export type {
  AllowedMentions,
  ChannelRecord,
  CommandRecord,
  GuildRecord,
  MemberRecord,
  MentionResult,
  RoleRecord,
  StoredAttachment,
  StoredMessage,
  UserRecord,
  VoiceStateRecord,
} from './model.ts';
export { ChannelType } from './model.ts';
export { Perm, INVITE_PERMISSIONS, LEGACY_BOT_ROLE_PERMISSIONS } from './permissions.ts';
export { DEFAULT_RULES, type DiscordRules, type PrivilegedIntent } from './rules.ts';
export type { WindowLimit } from './ratelimits.ts';
export { shardOf } from './snowflake.ts';

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The bot token discord.js must present (default: a generated one, see `emulator.token`). */
  token?: string;
  /** The bot's username (default 'Scribe'). */
  botUsername?: string;
  /** HELLO's heartbeat_interval (default Discord's 41,250 ms; use ~100–500 in tests). */
  heartbeatIntervalMs?: number;
  /** Shard count recommended by /gateway/bot (default 1). */
  shards?: number;
  /** session_start_limit.max_concurrency (default 16, so shards identify without waiting 5 s for each other). */
  maxConcurrency?: number;
  /** Deadline for the first interaction response (default 3,000 ms, as Discord). */
  ackDeadlineMs?: number;
  /** Lifetime of interaction tokens (default 15 minutes). */
  interactionTokenTtlMs?: number;
  /** Refuse slash()/autocomplete() for commands the bot has not registered (default true, as Discord). */
  strictCommands?: boolean;
  /** Dispatches kept per session for RESUME (default 1,000). */
  replayBufferSize?: number;
  /** How long a disconnected session can be resumed (default 60 s). */
  resumeWindowMs?: number;
  /** Guilds to create at start (each with @everyone, the bot as member with a managed role, and an owner). */
  guilds?: GuildSpec[];
  /** Switches for Discord's rules (README "Rules"); unnamed ones keep DEFAULT_RULES. */
  rules?: Partial<DiscordRules>;
  /** Privileged intents enabled for the application (default none, as a new application). */
  privilegedIntents?: PrivilegedIntent[];
  /** The permissions of the bot's managed role in every guild (default: the README's invite integer, INVITE_PERMISSIONS). */
  botPermissions?: bigint;
  /** Messages one channel takes per window under the channelMessageRateLimit rule (default 5 per 5,000 ms, as observed on Discord). */
  channelMessageLimit?: WindowLimit;
  /** The bot's global limit under the rateLimits rule (default 50 a second, as Discord). */
  globalRequestsPerSecond?: number;
}

export interface GuildSpec {
  id?: string;
  name?: string;
  /** Owner user id (created if unknown). Default: a new user 'owner'. */
  ownerId?: string;
  /** Put the guild on shard `index` of `count` (generates a fitting id). */
  shard?: { index: number; count: number };
}

export type ChannelKind = 'text' | 'voice' | 'announcement' | 'category' | 'forum' | 'stage';

export interface OverwriteSpec {
  id: string;
  type: 'role' | 'member';
  allow?: bigint;
  deny?: bigint;
}

export interface ChannelSpec {
  name: string;
  /** Default 'text'. */
  type?: ChannelKind | ChannelTypeValue;
  parentId?: string;
  topic?: string;
  overwrites?: OverwriteSpec[];
  position?: number;
  id?: string;
}

export interface RoleSpec {
  name: string;
  /** Default 0n: the role adds nothing to @everyone. */
  permissions?: bigint;
  mentionable?: boolean;
  hoist?: boolean;
  color?: number;
  id?: string;
}

export interface MemberSpec {
  /** Default: a new snowflake. */
  id?: string;
  username: string;
  globalName?: string | null;
  nick?: string | null;
  /** Role ids (without @everyone). */
  roles?: string[];
  bot?: boolean;
  joinedAt?: string;
}

/** Ids of the guild created by seedGuild(). */
export interface SeededGuild {
  guildId: string;
  ownerId: string;
  /** Text channel 'hackathon' (threads allowed). */
  textChannelId: string;
  /** Voice channel 'monkey-business'. */
  voiceChannelId: string;
  /** Second voice channel 'breakout' (for voiceMove). */
  otherVoiceChannelId: string;
  /** Announcement channel 'announcements'. */
  announcementChannelId: string;
  everyoneRoleId: string;
  /** Role 'Maintainer' (mentionable, Manage Threads + Manage Messages). */
  maintainerRoleId: string;
  /** The bot's managed role 'Scribe'. */
  botRoleId: string;
  /** Human members: `maintainer` holds the maintainer role; `alice` starts in the voice channel if `voice` is true. */
  members: { maintainer: string; alice: string; bob: string; carol: string };
  botUserId: string;
}

export interface SeedOptions {
  name?: string;
  /** Put alice in the voice channel at start so GUILD_CREATE carries a voice state (default true). */
  voice?: boolean;
  shard?: { index: number; count: number };
}

const KIND_TYPES: Record<ChannelKind, ChannelTypeValue> = {
  text: ChannelType.GuildText,
  voice: ChannelType.GuildVoice,
  announcement: ChannelType.GuildAnnouncement,
  category: ChannelType.GuildCategory,
  forum: ChannelType.GuildForum,
  stage: ChannelType.GuildStageVoice,
};

export class Emulator {
  /** Give this to discord.js as `rest.api`: `http://127.0.0.1:PORT/api`. */
  readonly restUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** `ws://127.0.0.1:PORT/gateway` (what /gateway/bot returns). */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** The raw state, for assertions the driving API does not cover. */
  readonly state: EmulatorState;

  readonly #core: Core;
  readonly #gateway: GatewayServer;
  readonly #interactions: InteractionRegistry;
  readonly #server: Server;
  #shardCount: number;
  #connections = 0;
  readonly #botPermissions: bigint;
  /** The rules in force (DEFAULT_RULES with the options' switches). */
  readonly rules: Readonly<DiscordRules>;

  /** Use startEmulator(). */
  constructor(internals: {
    core: Core;
    gateway: GatewayServer;
    interactions: InteractionRegistry;
    server: Server;
    port: number;
    host: string;
    shards: number;
    botPermissions: bigint;
  }) {
    this.#core = internals.core;
    this.#gateway = internals.gateway;
    this.#interactions = internals.interactions;
    this.#server = internals.server;
    this.#server.on('connection', () => {
      this.#connections += 1;
    });
    this.#shardCount = internals.shards;
    this.#botPermissions = internals.botPermissions;
    this.rules = internals.core.opts.rules;
    this.state = internals.core.state;
    this.port = internals.port;
    this.baseUrl = `http://${internals.host}:${internals.port}`;
    this.restUrl = `${this.baseUrl}/api`;
    this.gatewayUrl = `ws://${internals.host}:${internals.port}/gateway`;
    this.token = internals.core.opts.token;
    this.applicationId = internals.core.opts.applicationId;
    this.botUserId = internals.core.opts.botUserId;
  }
  /**
   * TCP connections accepted so far, REST and gateway. discord.js opens a new one whenever every open
   * one is busy with a request, so a burst a bot falls behind in shows here.
   */
  get connectionsAccepted(): number {
    return this.#connections;
  }

  /** Stops the server and drops every gateway connection. */
  async close(): Promise<void> {
    this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Shard count /gateway/bot recommends from now on. */
  setRecommendedShards(count: number): void {
    this.#shardCount = count;
  }
  get recommendedShards(): number {
    return this.#shardCount;
  }

  // ---- building the world -----------------------------------------------------------------------------

  #ensureUser(id: string, username: string, globalName: string | null, bot: boolean): void {
    if (!this.state.users.has(id)) this.state.users.set(id, { id, username, globalName, bot });
  }

  /** Creates a guild with @everyone, an owner, and the bot as a member holding a managed role; dispatches GUILD_CREATE to connected shards. */
  addGuild(spec: GuildSpec = {}): string {
    const { state } = this;
    const id = spec.id ?? (spec.shard ? state.ids.nextForShard(spec.shard.index, spec.shard.count) : state.ids.next());
    if (state.guilds.has(id)) throw new Error(`guild ${id} exists`);
    const ownerId = spec.ownerId ?? state.ids.next();
    this.#ensureUser(ownerId, 'owner', 'Server Owner', false);
    const now = new Date().toISOString();
    state.guilds.set(id, { id, name: spec.name ?? 'Emulated Guild', ownerId, createdAt: now });
    state.roles.set(id, {
      id,
      guildId: id,
      name: '@everyone',
      permissions: DEFAULT_EVERYONE_PERMISSIONS,
      position: 0,
      mentionable: false,
      managed: false,
      hoist: false,
      color: 0,
    });
    state.members.set(`${id}:${ownerId}`, { guildId: id, userId: ownerId, nick: null, roles: [], joinedAt: now });
    const botRole = state.ids.next();
    state.roles.set(botRole, {
      id: botRole,
      guildId: id,
      name: state.users.get(this.botUserId)?.username ?? 'bot',
      permissions: this.#botPermissions,
      position: 1,
      mentionable: false,
      managed: true,
      hoist: false,
      color: 0,
    });
    state.members.set(`${id}:${this.botUserId}`, { guildId: id, userId: this.botUserId, nick: null, roles: [botRole], joinedAt: now });
    this.#gateway.dispatchGuild(id, 'GUILD_CREATE', state.guildJson(id, { voiceStates: true }), (d, intents) =>
      (intents & 128) !== 0 ? d : { ...d, voice_states: [] },
    );
    return id;
  }

  /** The managed role the bot got in `guildId`. */
  botRoleId(guildId: string): string {
    const m = this.state.member(guildId, this.botUserId);
    const id = m?.roles.find((r) => this.state.roles.get(r)?.managed);
    if (!id) throw new Error(`the bot is not in guild ${guildId}`);
    return id;
  }

  /** Removes a guild (the bot was kicked): GUILD_DELETE. */
  removeGuild(guildId: string): void {
    const { state } = this;
    this.#requireGuild(guildId);
    this.#gateway.dispatchGuild(guildId, 'GUILD_DELETE', { id: guildId, unavailable: false });
    state.guilds.delete(guildId);
    for (const [k, r] of state.roles) if (r.guildId === guildId) state.roles.delete(k);
    for (const [k, m] of state.members) if (m.guildId === guildId) state.members.delete(k);
    for (const [k, c] of state.channels) if (c.guildId === guildId) state.channels.delete(k);
    for (const [k, v] of state.voiceStates) if (v.guildId === guildId) state.voiceStates.delete(k);
  }

  #requireGuild(guildId: string): void {
    if (!this.state.guilds.has(guildId)) throw new Error(`unknown guild ${guildId}`);
  }

  addChannel(guildId: string, spec: ChannelSpec): string {
    this.#requireGuild(guildId);
    const type = typeof spec.type === 'number' ? spec.type : KIND_TYPES[spec.type ?? 'text'];
    const id = spec.id ?? this.state.ids.next();
    const overwrites: Overwrite[] = (spec.overwrites ?? []).map((o) => ({
      id: o.id,
      type: o.type === 'role' ? 0 : 1,
      allow: o.allow ?? 0n,
      deny: o.deny ?? 0n,
    }));
    const channel: ChannelRecord = {
      id,
      guildId,
      type,
      name: spec.name,
      position: spec.position ?? this.state.guildChannels(guildId).length,
      parentId: spec.parentId ?? null,
      topic: spec.topic ?? null,
      overwrites,
      lastMessageId: null,
      ownerId: null,
      thread: null,
      messageCount: 0,
      threadMembers: new Set(),
      userLimit: 0,
      bitrate: 64000,
    };
    this.state.channels.set(id, channel);
    this.#gateway.dispatchGuild(guildId, 'CHANNEL_CREATE', this.state.channelJson(channel));
    return id;
  }

  addRole(guildId: string, spec: RoleSpec): string {
    this.#requireGuild(guildId);
    const id = spec.id ?? this.state.ids.next();
    const position = this.state.guildRoles(guildId).length;
    const role = {
      id,
      guildId,
      name: spec.name,
      permissions: spec.permissions ?? 0n,
      position,
      mentionable: spec.mentionable ?? false,
      managed: false,
      hoist: spec.hoist ?? false,
      color: spec.color ?? 0,
    };
    this.state.roles.set(id, role);
    this.#gateway.dispatchGuild(guildId, 'GUILD_ROLE_CREATE', { guild_id: guildId, role: this.state.roleJson(role) });
    return id;
  }

  /** Adds a member (creating the user if needed): GUILD_MEMBER_ADD. Returns the user id. */
  addMember(guildId: string, spec: MemberSpec): string {
    this.#requireGuild(guildId);
    const id = spec.id ?? this.state.ids.next();
    this.#ensureUser(id, spec.username, spec.globalName ?? null, spec.bot ?? false);
    for (const r of spec.roles ?? []) if (this.state.roles.get(r)?.guildId !== guildId) throw new Error(`unknown role ${r}`);
    const member = { guildId, userId: id, nick: spec.nick ?? null, roles: [...(spec.roles ?? [])], joinedAt: spec.joinedAt ?? new Date().toISOString() };
    this.state.members.set(`${guildId}:${id}`, member);
    this.#gateway.dispatchGuild(guildId, 'GUILD_MEMBER_ADD', { ...this.state.memberJson(member), guild_id: guildId });
    return id;
  }

  /** Changes a member's nickname or roles: GUILD_MEMBER_UPDATE. */
  updateMember(guildId: string, userId: string, change: { nick?: string | null; roles?: string[] }): void {
    const m = this.state.member(guildId, userId);
    if (!m) throw new Error(`user ${userId} is not in guild ${guildId}`);
    if (change.nick !== undefined) m.nick = change.nick;
    if (change.roles) m.roles = [...change.roles];
    this.#gateway.dispatchGuild(guildId, 'GUILD_MEMBER_UPDATE', { ...this.state.memberJson(m), guild_id: guildId });
  }

  removeMember(guildId: string, userId: string): void {
    if (!this.state.member(guildId, userId)) throw new Error(`user ${userId} is not in guild ${guildId}`);
    if (this.state.voiceStates.has(`${guildId}:${userId}`)) this.voiceLeave(userId, guildId);
    this.state.members.delete(`${guildId}:${userId}`);
    this.#gateway.dispatchGuild(guildId, 'GUILD_MEMBER_REMOVE', { guild_id: guildId, user: this.state.userJson(userId) });
  }

  /** Changes a role's permissions (or name), as a server admin would: GUILD_ROLE_UPDATE. */
  updateRole(guildId: string, roleId: string, change: { permissions?: bigint; name?: string }): void {
    const role = this.state.roles.get(roleId);
    if (!role || role.guildId !== guildId) throw new Error(`unknown role ${roleId} in guild ${guildId}`);
    if (change.permissions !== undefined) role.permissions = change.permissions;
    if (change.name !== undefined) role.name = change.name;
    this.#gateway.dispatchGuild(guildId, 'GUILD_ROLE_UPDATE', { guild_id: guildId, role: this.state.roleJson(role) });
  }

  /** Replaces a channel's permission overwrites (threads use their parent's): CHANNEL_UPDATE. */
  setOverwrites(channelId: string, overwrites: readonly OverwriteSpec[]): void {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw new Error(`unknown channel ${channelId}`);
    if (this.state.isThread(channel)) throw new Error(`channel ${channelId} is a thread; threads take their parent's overwrites`);
    channel.overwrites = overwrites.map((o) => ({ id: o.id, type: o.type === 'role' ? 0 : 1, allow: o.allow ?? 0n, deny: o.deny ?? 0n }));
    this.#gateway.dispatchGuild(channel.guildId, 'CHANNEL_UPDATE', this.state.channelJson(channel));
  }

  /**
   * Deletes a channel or thread as a moderator would: its messages go, a channel's threads with it;
   * THREAD_DELETE (id, guild_id, parent_id, type, as Discord sends it) or CHANNEL_DELETE is dispatched.
   */
  deleteChannel(channelId: string): void {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw new Error(`unknown channel ${channelId}`);
    for (const child of [...this.state.channels.values()]) if (child.parentId === channelId && this.state.isThread(child)) this.deleteChannel(child.id);
    this.state.dropMessages(new Set(this.state.channelMessages.get(channelId) ?? []));
    this.state.channelMessages.delete(channelId);
    this.state.channels.delete(channelId);
    if (this.state.isThread(channel)) {
      this.#gateway.dispatchGuild(channel.guildId, 'THREAD_DELETE', {
        id: channel.id,
        guild_id: channel.guildId,
        parent_id: channel.parentId,
        type: channel.type,
      });
    } else {
      this.#gateway.dispatchGuild(channel.guildId, 'CHANNEL_DELETE', this.state.channelJson(channel));
    }
  }

  /**
   * A guild shaped like Scribe's use: text channel, two voice channels, an announcement channel, a maintainer role,
   * four human members (alice in voice unless `voice: false`).
   */
  seedGuild(opts: SeedOptions = {}): SeededGuild {
    const spec: GuildSpec = { name: opts.name ?? 'Unikraft' };
    if (opts.shard) spec.shard = opts.shard;
    const guildId = this.addGuild(spec);
    const ownerId = this.state.guilds.get(guildId)?.ownerId ?? '';
    const maintainerRoleId = this.addRole(guildId, { name: 'Maintainer', permissions: Perm.ManageThreads | Perm.ManageMessages, mentionable: true });
    const textChannelId = this.addChannel(guildId, { name: 'hackathon', type: 'text', topic: 'Meeting notes' });
    const voiceChannelId = this.addChannel(guildId, { name: 'monkey-business', type: 'voice' });
    const otherVoiceChannelId = this.addChannel(guildId, { name: 'breakout', type: 'voice' });
    const announcementChannelId = this.addChannel(guildId, { name: 'announcements', type: 'announcement' });
    const maintainer = this.addMember(guildId, { username: 'razvand', globalName: 'Razvan D', roles: [maintainerRoleId] });
    const alice = this.addMember(guildId, { username: 'alice', globalName: 'Alice A', nick: 'ȘtefanJ' });
    const bob = this.addMember(guildId, { username: 'bob', globalName: 'Bob B' });
    const carol = this.addMember(guildId, { username: 'carol', globalName: null });
    if (opts.voice !== false) this.voiceJoin(alice, voiceChannelId);
    return {
      guildId,
      ownerId,
      textChannelId,
      voiceChannelId,
      otherVoiceChannelId,
      announcementChannelId,
      everyoneRoleId: guildId,
      maintainerRoleId,
      botRoleId: this.botRoleId(guildId),
      members: { maintainer, alice, bob, carol },
      botUserId: this.botUserId,
    };
  }

  // ---- voice --------------------------------------------------------------------------------------------

  #voiceDispatch(v: VoiceStateRecord, channelId: string | null): void {
    const json = this.state.voiceStateJson(v, true);
    json['channel_id'] = channelId;
    this.#gateway.dispatchGuild(v.guildId, 'VOICE_STATE_UPDATE', json);
  }

  /** The user joins a voice channel (or moves there if already in one of the guild): VOICE_STATE_UPDATE. */
  voiceJoin(userId: string, channelId: string, opts: { selfMute?: boolean; selfDeaf?: boolean } = {}): VoiceStateRecord {
    const channel = this.state.channels.get(channelId);
    if (!channel || !VOICE_TYPES.includes(channel.type)) throw new Error(`${channelId} is not a voice channel`);
    if (!this.state.member(channel.guildId, userId)) throw new Error(`user ${userId} is not in guild ${channel.guildId}`);
    const key = `${channel.guildId}:${userId}`;
    const existing = this.state.voiceStates.get(key);
    const v: VoiceStateRecord = {
      guildId: channel.guildId,
      channelId,
      userId,
      sessionId: existing?.sessionId ?? randomBytes(16).toString('hex'),
      selfMute: opts.selfMute ?? existing?.selfMute ?? false,
      selfDeaf: opts.selfDeaf ?? existing?.selfDeaf ?? false,
      mute: false,
      deaf: false,
      selfVideo: false,
      suppress: false,
    };
    this.state.voiceStates.set(key, v);
    this.#voiceDispatch(v, channelId);
    return v;
  }

  /** Moves a user already in voice to another voice channel of the same guild. */
  voiceMove(userId: string, channelId: string): VoiceStateRecord {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw new Error(`unknown channel ${channelId}`);
    if (!this.state.voiceStates.has(`${channel.guildId}:${userId}`)) throw new Error(`user ${userId} is not in voice`);
    return this.voiceJoin(userId, channelId);
  }

  /** The user leaves voice (in `guildId`, or the only guild where they are in voice). */
  voiceLeave(userId: string, guildId?: string): void {
    const v = [...this.state.voiceStates.values()].find((x) => x.userId === userId && (guildId === undefined || x.guildId === guildId));
    if (!v) throw new Error(`user ${userId} is not in voice`);
    this.state.voiceStates.delete(`${v.guildId}:${userId}`);
    this.#voiceDispatch(v, null);
  }

  voiceStates(guildId: string): VoiceStateRecord[] {
    return this.state.guildVoiceStates(guildId);
  }

  // ---- users acting -------------------------------------------------------------------------------------

  /** Sends a slash command as `userId` in `channelId`. `name` may carry subcommands: 'meeting start'. */
  slash(userId: string, channelId: string, name: string, options: SlashOptions = {}): InteractionHandle {
    return this.#interactions.command(userId, channelId, name, options, null);
  }

  /** Sends an autocomplete interaction; `focused` names the option being typed (its value is the partial text). */
  autocomplete(userId: string, channelId: string, name: string, options: SlashOptions, focused: string): InteractionHandle {
    if (!(focused in options)) throw new Error(`focused option "${focused}" has no value`);
    return this.#interactions.command(userId, channelId, name, options, focused);
  }

  /** Submits the last modal `customId` the bot showed the user; fields not given keep their pre-filled value. */
  submitModal(userId: string, channelId: string, customId: string, fields: Record<string, string>): InteractionHandle {
    return this.#interactions.modalSubmit(userId, channelId, customId, fields);
  }

  /** Clicks a button of a message. */
  clickButton(userId: string, messageId: string, customId: string): InteractionHandle {
    return this.#interactions.component(userId, messageId, customId, undefined);
  }

  /** Picks values in a select menu of a message. */
  selectMenu(userId: string, messageId: string, customId: string, values: string[]): InteractionHandle {
    return this.#interactions.component(userId, messageId, customId, values);
  }

  /** The last modal with `customId` shown to the user and not yet submitted. */
  shownModal(userId: string, customId: string): JsonObject | undefined {
    return this.#interactions.modalsShown.get(`${userId}:${customId}`)?.modal;
  }

  /** A user posts a message: MESSAGE_CREATE (content visible to the bot only with MessageContent or a mention). */
  userMessage(userId: string, channelId: string, content: string): StoredMessage {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw new Error(`unknown channel ${channelId}`);
    if (!this.state.member(channel.guildId, userId)) throw new Error(`user ${userId} is not in guild ${channel.guildId}`);
    if (channel.thread?.archived) throw new Error(`thread ${channelId} is archived`);
    const base = { content, allowedMentions: undefined, guildId: channel.guildId, authorId: userId, channelId, messageReference: null, webhookId: null };
    const m: StoredMessage = {
      ...base,
      id: this.state.ids.next(),
      applicationId: null,
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      tts: false,
      mentions: this.#core.computeMessageMentions(base),
      interactionId: null,
      createdAt: new Date().toISOString(),
      editedAt: null,
      threadId: null,
      deleted: false,
      ephemeral: false,
      nonce: null,
    };
    this.state.addMessage(m);
    if (channel.thread) channel.threadMembers.add(userId);
    this.#core.dispatchMessage('MESSAGE_CREATE', m);
    return m;
  }

  /** Sends any dispatch to the sessions owning the guild (subject to intents). */
  dispatch(guildId: string, t: string, d: JsonObject): number {
    return this.#gateway.dispatchGuild(guildId, t, d);
  }

  // ---- inspection ---------------------------------------------------------------------------------------

  /** Every REST request so far, in arrival order. */
  requests(): readonly RecordedRequest[] {
    return this.#core.requests;
  }

  /** The first finished request (past or future) matching `pred`; rejects after `timeoutMs` (default 5,000). */
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.#core.waitForRequest(pred, timeoutMs);
  }

  /** Messages of a channel or thread, oldest first; ephemeral interaction replies only with `includeEphemeral`. */
  messages(channelId: string, opts: { includeEphemeral?: boolean } = {}): StoredMessage[] {
    return this.state.channelMessageList(channelId).filter((m) => opts.includeEphemeral === true || !m.ephemeral);
  }

  message(id: string): StoredMessage | undefined {
    return this.state.messages.get(id);
  }

  /** Threads (archived ones included), optionally only those under `parentId`. */
  threads(parentId?: string): ChannelRecord[] {
    return [...this.state.channels.values()].filter((c) => c.thread !== null && (parentId === undefined || c.parentId === parentId));
  }

  channel(id: string): ChannelRecord | undefined {
    return this.state.channels.get(id);
  }

  /** Registered commands: global (guildId null/omitted) or of a guild. */
  commands(guildId: string | null = null): CommandRecord[] {
    return [...this.state.commands.values()].filter((c) => c.guildId === guildId);
  }

  /** Everything the bot did that Discord refuses or penalises (late/missing/second acks, limits, 404 routes, …). */
  violations(): readonly Violation[] {
    return this.#core.violations;
  }

  /** Who the message pinged under Discord's allowed_mentions rules. */
  mentionsOf(message: StoredMessage | string): MentionResult {
    const m = typeof message === 'string' ? this.state.messages.get(message) : message;
    if (!m) throw new Error('unknown message');
    return this.#core.computeMessageMentions(m);
  }

  interaction(id: string): InteractionHandle | undefined {
    return this.#interactions.byId.get(id);
  }

  /**
   * Forgets what is kept for reading back rather than for behaving like Discord: the request log, the
   * gateway log, and the interactions already answered with their ephemeral messages (a later callback
   * or webhook call on one of them is refused as for an expired token, so a second acknowledgement is
   * no longer reported as one). Unacknowledged interactions and deferrals still "thinking…" stay, as do
   * guilds, channel messages, sessions and violations. For long runs such as the benchmark: the
   * emulator takes every timestamp it measures, and a heap that grows with each interaction makes its
   * garbage collection, and so the latencies it reports, longer for each bot measured after the first.
   */
  forgetHistory(): void {
    this.#core.requests.length = 0;
    this.#gateway.forgetLog();
    this.#core.state.dropMessages(this.#interactions.forgetAnswered());
  }

  /** Everything sent and received on the gateway (all connections). */
  gatewayLog(): readonly GatewayLogEntry[] {
    return this.#gateway.log();
  }

  waitForGateway(pred: (e: GatewayLogEntry) => boolean, timeoutMs = 5000): Promise<GatewayLogEntry> {
    return this.#gateway.waitForLog(pred, timeoutMs);
  }

  /** Live and resumable gateway sessions. */
  sessions(): SessionInfo[] {
    return this.#gateway.sessions();
  }

  // ---- faults ---------------------------------------------------------------------------------------------

  /** Answers the next `times` matching requests with 429 (Retry-After, X-RateLimit-*; global if asked). */
  rateLimit(route: RouteMatcher, times: number, opts: RateLimitOptions = {}): FaultHandle {
    return this.#core.faults.add(route, times, { kind: 'rate-limit', retryAfter: opts.retryAfter ?? 1, global: opts.global ?? false });
  }

  /** Answers the next `times` matching requests with `status` (default 500). discord.js retries 5xx three times. */
  failRoute(route: RouteMatcher, times: number, status = 500): FaultHandle {
    return this.#core.faults.add(route, times, { kind: 'fail', status });
  }

  /** Delays matching requests by `ms` (the next `times`, default all). */
  delayRoute(route: RouteMatcher, ms: number, times = Infinity): FaultHandle {
    return this.#core.faults.add(route, times, { kind: 'delay', ms });
  }

  /** As a server admin overriding a command's permissions for everyone (Integrations settings). */
  allowCommandForEveryone(guildId: string, name: string): void {
    this.#interactions.permissionOverrides.add(`${guildId}:${name}`);
  }

  clearFaults(): void {
    this.#core.faults.clear();
  }

  /** Closes gateway connections (all, or one shard's) with `code`: 4000 → the client resumes; 1000/4007/4009 end the session; 4004 is fatal. */
  closeGateway(code: number, shard?: number): number {
    return this.#gateway.closeConnections(code, shard);
  }

  /** Sends op 7 RECONNECT: the client reconnects and resumes. */
  sendReconnect(shard?: number): number {
    return this.#gateway.sendReconnect(shard);
  }

  /** Sends op 9 INVALID_SESSION: `false` ends the session (fresh IDENTIFY), `true` lets the client resume. */
  sendInvalidSession(resumable: boolean, shard?: number): number {
    return this.#gateway.sendInvalidSession(resumable, shard);
  }

  /** Stops ACKing heartbeats on the current connections; the client then sees a zombie connection and resumes. */
  stopHeartbeatAcks(shard?: number): number {
    return this.#gateway.stopHeartbeatAcks(shard);
  }

  resumeHeartbeatAcks(): void {
    this.#gateway.resumeHeartbeatAcks();
  }

  /** Changes HELLO's heartbeat_interval for new connections. */
  setHeartbeatInterval(ms: number): void {
    this.#gateway.heartbeatIntervalMs = ms;
  }
}

function makeToken(botUserId: string): string {
  return `${Buffer.from(botUserId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
}

/** Starts an emulator on 127.0.0.1 (a free port unless `port` is given). */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? '127.0.0.1';
  const probe = new EmulatorState('0', '0');
  const botUserId = probe.ids.next();
  const applicationId = botUserId;
  const state = new EmulatorState(applicationId, botUserId);
  state.users.set(botUserId, { id: botUserId, username: opts.botUsername ?? 'Scribe', globalName: null, bot: true });
  const token = opts.token ?? makeToken(botUserId);
  const rules: DiscordRules = { ...DEFAULT_RULES, ...opts.rules };
  const privilegedIntents = [...(opts.privilegedIntents ?? [])];
  const maxConcurrency = opts.maxConcurrency ?? 16;
  let gatewayUrl = '';
  const gateway = new GatewayServer({
    state,
    token,
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
    replayBufferSize: opts.replayBufferSize ?? 1000,
    resumeWindowMs: opts.resumeWindowMs ?? 60_000,
    resumeUrl: () => gatewayUrl,
    rules,
    privilegedIntents,
    maxConcurrency,
  });
  const faults = new FaultSet();
  const core = new Core(
    {
      token,
      applicationId,
      botUserId,
      ackDeadlineMs: opts.ackDeadlineMs ?? 3000,
      interactionTokenTtlMs: opts.interactionTokenTtlMs ?? 15 * 60_000,
      strictCommands: opts.strictCommands ?? true,
      rules,
      privilegedIntents,
    },
    state,
    gateway,
    faults,
  );
  const interactions = new InteractionRegistry(core);
  let shards = opts.shards ?? 1;
  // Set once the server listens; the REST API asks it for the shard count it recommends.
  let emulator: Emulator | undefined;
  const rest = new RestApi(
    core,
    interactions,
    () => gatewayUrl,
    () => emulator?.recommendedShards ?? shards,
    maxConcurrency,
    rules.rateLimits
      ? new RateLimiter({
          channelMessages: rules.channelMessageRateLimit ? (opts.channelMessageLimit ?? { limit: 5, windowMs: 5000 }) : null,
          globalPerSecond: opts.globalRequestsPerSecond ?? 50,
          routeDefault: { limit: 50, windowMs: 1000 },
        })
      : null,
  );
  const server = createServer((req, res) => {
    rest.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(err), code: 0 }));
    });
  });
  // undici (discord.js's HTTP client) subtracts 2 s from the server's `Keep-Alive: timeout=` hint and closes
  // the socket after every response when nothing is left, so anything under ~3 s means one TCP connection
  // per REST request. Discord keeps connections alive; so does the emulator (close() ends them anyway).
  server.keepAliveTimeout = 60_000;
  gateway.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  gatewayUrl = `ws://${host}:${port}/gateway`;
  core.baseUrl = `http://${host}:${port}`;
  emulator = new Emulator({ core, gateway, interactions, server, port, host, shards, botPermissions: opts.botPermissions ?? INVITE_PERMISSIONS });
  shards = emulator.recommendedShards;
  for (const g of opts.guilds ?? []) emulator.addGuild(g);
  return emulator;
}
