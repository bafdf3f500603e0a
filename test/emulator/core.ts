// The emulator's behaviour shared by the REST routes and the driving API: messages (validation, mentions,
// attachments), threads, and the records tests read (requests, violations).
import { Waiters } from './waiters.ts';
import { performance } from 'node:perf_hooks';
import type { UploadedFile } from './body.ts';
import { ApiError, Errors, invalidFormBody } from './errors.ts';
import type { GatewayServer } from './gateway.ts';
import { Intents } from './gateway.ts';
import { computeMentions } from './mentions.ts';
import {
  THREAD_PARENT_TYPES,
  type AllowedMentions,
  type ChannelRecord,
  type Json,
  type JsonObject,
  type StoredAttachment,
  type StoredMessage,
} from './model.ts';
import { Perm, has } from './permissions.ts';
import { asJson, isJsonObject, type EmulatorState } from './state.ts';
import { AUTO_ARCHIVE_DURATIONS, messageErrors, threadNameErrors } from './validation.ts';
import type { FaultSet } from './faults.ts';
import type { DiscordRules, PrivilegedIntent } from './rules.ts';

/** Something the bot did that Discord refuses or penalises. */
export interface Violation {
  /** e.g. 'late-ack', 'no-ack', 'second-ack', 'unknown-interaction', 'modal-after-modal', 'message-limits',
   * 'archived-thread', 'wrong-channel-type', 'missing-permissions', 'unauthorized', 'unknown-route', … */
  kind: string;
  message: string;
  method: string | null;
  path: string | null;
  interactionId: string | null;
  /** performance.now() */
  at: number;
}

/** One REST request as the emulator saw it. */
export interface RecordedRequest {
  /** 1, 2, 3, … in arrival order. */
  seq: number;
  method: string;
  /** Decoded path under /api/v10, e.g. `/webhooks/123/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body (for multipart, the payload_json). */
  body: Json | undefined;
  /** Files of a multipart body. */
  files: UploadedFile[];
  /** The route template that handled it, e.g. 'POST /channels/:channel/messages'; null when unknown (404). */
  route: string | null;
  /** Response status; 0 until the response is sent. */
  status: number;
  response: Json | undefined;
  /** Which injected fault answered or slowed it. */
  fault: 'rate-limit' | 'fail' | 'delay' | null;
  /** performance.now() when the request arrived and when the response was sent. */
  startedAt: number;
  finishedAt: number;
}

export interface CoreOptions {
  token: string;
  applicationId: string;
  botUserId: string;
  ackDeadlineMs: number;
  interactionTokenTtlMs: number;
  strictCommands: boolean;
  rules: DiscordRules;
  /** Privileged intents the application has enabled (Developer Portal → Bot). */
  privilegedIntents: readonly PrivilegedIntent[];
}

export interface MessageInput {
  channelId: string;
  authorId: string;
  body: JsonObject;
  files: UploadedFile[];
  /** Set for interaction responses and follow-ups (posted through the application's webhook). */
  interactionId?: string;
  /** Check the author's channel permissions (bot REST posts; not webhooks). */
  checkPermissions: boolean;
  /** Skip the "empty message" check (a deferred "thinking…" message). */
  allowEmpty?: boolean;
  /** Force flags (e.g. 128 loading). */
  extraFlags?: number;
  /** Apply the archived-thread rule (a message unarchives an unlocked thread; a locked one refuses it). */
  archivedRule: boolean;
}

export class Core {
  readonly requests: RecordedRequest[] = [];
  /** Requests received so far: the next one's `seq` (the log itself may have been forgotten). */
  requestCount = 0;
  readonly violations: Violation[] = [];
  readonly #requestWaiters = new Waiters();
  baseUrl = '';

  constructor(
    readonly opts: CoreOptions,
    readonly state: EmulatorState,
    readonly gateway: GatewayServer,
    readonly faults: FaultSet,
  ) {}

  violate(kind: string, message: string, ctx: { method?: string; path?: string; interactionId?: string } = {}): void {
    this.violations.push({
      kind,
      message,
      method: ctx.method ?? null,
      path: ctx.path ?? null,
      interactionId: ctx.interactionId ?? null,
      at: performance.now(),
    });
  }

  requestFinished(): void {
    this.#requestWaiters.notify();
  }

  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs: number): Promise<RecordedRequest> {
    return this.#requestWaiters.first(
      () => this.requests.find((r) => r.status !== 0 && pred(r)),
      timeoutMs,
      `waitForRequest: no matching request within ${timeoutMs} ms`,
    );
  }

  // ---- channels ------------------------------------------------------------------------------------

  channel(id: string): ChannelRecord {
    const c = this.state.channels.get(id);
    if (!c) throw Errors.unknownChannel();
    return c;
  }

  botPerms(channel: ChannelRecord): bigint {
    return this.state.permissions(channel.guildId, this.opts.botUserId, channel.id);
  }

  requireBotPerms(channel: ChannelRecord, needed: bigint): void {
    const perms = this.botPerms(channel);
    if (!has(perms, Perm.ViewChannel)) throw Errors.missingAccess();
    if (!has(perms, needed)) throw Errors.missingPermissions();
  }

  // ---- messages -------------------------------------------------------------------------------------

  #attachmentUrl(channelId: string, id: string, filename: string): string {
    return `${this.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
  }

  #makeAttachment(channelId: string, f: UploadedFile, filename: string, description: string | null): StoredAttachment {
    const id = this.state.ids.next();
    const bytes = f.bytes;
    return {
      id,
      filename,
      contentType: f.contentType,
      description,
      size: bytes.length,
      bytes,
      url: this.#attachmentUrl(channelId, id, filename),
      text: () => bytes.toString('utf8'),
    };
  }

  /**
   * Resolves the body's `attachments` against uploaded files (`{id: n}` refers to `files[n]`) and, on edits, the
   * message's existing attachments (listed by their snowflake to keep them).
   */
  #resolveAttachments(channelId: string, body: JsonObject, files: UploadedFile[], existing: StoredAttachment[] | null): StoredAttachment[] {
    const list = body['attachments'];
    if (!Array.isArray(list)) {
      const added = files.map((f) => this.#makeAttachment(channelId, f, f.filename, null));
      return [...(existing ?? []), ...added];
    }
    const out: StoredAttachment[] = [];
    const used = new Set<number>();
    for (const a of list) {
      if (!isJsonObject(a)) continue;
      const id = String(a['id'] ?? '');
      const description = typeof a['description'] === 'string' ? a['description'] : null;
      const keep = existing?.find((e) => e.id === id);
      if (keep) {
        out.push(keep);
        continue;
      }
      const file = files.find((f) => String(f.index) === id);
      if (!file) {
        throw invalidFormBody([{ path: ['attachments', out.length], code: 'ATTACHMENT_NOT_FOUND', message: `Unknown attachment ${id}` }]);
      }
      used.add(file.index);
      const filename = typeof a['filename'] === 'string' ? a['filename'] : file.filename;
      out.push(this.#makeAttachment(channelId, file, filename, description));
    }
    for (const f of files) if (!used.has(f.index)) out.push(this.#makeAttachment(channelId, f, f.filename, null));
    return out;
  }

  #validateMessageBody(body: JsonObject, files: UploadedFile[]): void {
    const errors = messageErrors(body);
    if (errors.length > 0) throw invalidFormBody(errors, 'message-limits');
    if (files.length > 10)
      throw invalidFormBody([{ path: ['files'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }], 'message-limits');
    const total = files.reduce((n, f) => n + f.bytes.length, 0);
    if (total > 25 * 1024 * 1024) throw Errors.tooLarge();
  }

  #allowedMentions(body: JsonObject): AllowedMentions | undefined {
    const am = body['allowed_mentions'];
    if (!isJsonObject(am)) return undefined;
    const out: AllowedMentions = {};
    const strs = (v: Json | undefined): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
    const parse = strs(am['parse']);
    const users = strs(am['users']);
    const roles = strs(am['roles']);
    if (parse) out.parse = parse;
    if (users) out.users = users;
    if (roles) out.roles = roles;
    if (typeof am['replied_user'] === 'boolean') out.replied_user = am['replied_user'];
    return out;
  }

  computeMessageMentions(m: Pick<StoredMessage, 'content' | 'allowedMentions' | 'guildId' | 'authorId' | 'channelId' | 'messageReference' | 'webhookId'>) {
    const perms = m.webhookId ? 0n : this.state.permissions(m.guildId, m.authorId, m.channelId);
    const replied = m.messageReference ? this.state.messages.get(m.messageReference.message_id) : undefined;
    return computeMentions({
      content: m.content,
      allowedMentions: m.allowedMentions,
      // Webhook messages (interaction responses) may mention @everyone and any role.
      authorCanMentionEveryone: m.webhookId ? true : has(perms, Perm.MentionEveryone),
      roleIsMentionable: (id) => this.state.roles.get(id)?.mentionable ?? false,
      roleExists: (id) => this.state.roles.get(id)?.guildId === m.guildId,
      repliedAuthorId: replied?.authorId ?? null,
    });
  }

  #isEmpty(m: Pick<StoredMessage, 'content' | 'embeds' | 'attachments' | 'components'>, body: JsonObject): boolean {
    return (
      m.content.length === 0 &&
      m.embeds.length === 0 &&
      m.attachments.length === 0 &&
      m.components.length === 0 &&
      !Array.isArray(body['sticker_ids']) &&
      !isJsonObject(body['poll'])
    );
  }

  /** Discord stores content trimmed of leading and trailing whitespace. */
  #content(raw: Json | undefined): string {
    if (typeof raw !== 'string') return '';
    return this.opts.rules.trimContent ? raw.trim() : raw;
  }

  /** A message sent into an archived, unlocked thread unarchives it (THREAD_UPDATE). */
  #unarchive(thread: ChannelRecord): void {
    if (!thread.thread) return;
    thread.thread.archived = false;
    thread.thread.archiveTimestamp = new Date().toISOString();
    this.gateway.dispatchGuild(thread.guildId, 'THREAD_UPDATE', this.state.channelJson(thread));
  }

  /** Editing a message through an interaction's webhook in an archived thread needs the thread unarchived first (50083). */
  refuseWebhookEditInArchived(message: StoredMessage): void {
    if (!this.opts.rules.archivedThreads || message.ephemeral) return;
    if (this.state.channels.get(message.channelId)?.thread?.archived) throw Errors.archivedThread();
  }

  createMessage(input: MessageInput): StoredMessage {
    const channel = this.channel(input.channelId);
    const { body, files } = input;
    if (input.checkPermissions) {
      const send = this.state.isThread(channel) ? Perm.SendMessagesInThreads : Perm.SendMessages;
      this.requireBotPerms(channel, send | (files.length > 0 ? Perm.AttachFiles : 0n));
    }
    const ephemeralReply = input.interactionId !== undefined && ((typeof body['flags'] === 'number' ? body['flags'] : 0) & 64) !== 0;
    let unarchive = false;
    if (input.archivedRule && channel.thread && !ephemeralReply) {
      if (channel.thread.locked && !has(this.botPerms(channel), Perm.ManageThreads)) {
        throw channel.thread.archived ? Errors.archivedThread() : Errors.missingPermissions();
      }
      unarchive = channel.thread.archived && this.opts.rules.archivedThreads;
      if (channel.thread.archived && !this.opts.rules.archivedThreads) throw Errors.archivedThread();
    }
    this.#validateMessageBody(body, files);
    let reference: StoredMessage['messageReference'] = null;
    const ref = body['message_reference'];
    if (isJsonObject(ref) && typeof ref['message_id'] === 'string') {
      const target = this.state.messages.get(ref['message_id']);
      if (!target || target.channelId !== channel.id || target.deleted) {
        if (ref['fail_if_not_exists'] !== false) {
          throw invalidFormBody([{ path: ['message_reference'], code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
        }
      } else {
        reference = { message_id: target.id, channel_id: target.channelId };
      }
    }
    const flags = (typeof body['flags'] === 'number' ? body['flags'] : 0) | (input.extraFlags ?? 0);
    const ephemeral = input.interactionId !== undefined && (flags & 64) !== 0;
    const id = this.state.ids.next();
    const base = {
      content: this.#content(body['content']),
      allowedMentions: this.#allowedMentions(body),
      guildId: channel.guildId,
      authorId: this.opts.botUserId,
      channelId: channel.id,
      messageReference: reference,
      webhookId: input.interactionId !== undefined ? this.opts.applicationId : null,
    };
    const message: StoredMessage = {
      ...base,
      id,
      applicationId: input.interactionId !== undefined ? this.opts.applicationId : null,
      embeds: Array.isArray(body['embeds']) ? body['embeds'] : [],
      components: Array.isArray(body['components']) ? body['components'] : [],
      attachments: this.#resolveAttachments(channel.id, body, files, null),
      flags: input.interactionId !== undefined ? flags : flags & ~64,
      tts: body['tts'] === true,
      mentions: this.computeMessageMentions(base),
      interactionId: input.interactionId ?? null,
      createdAt: new Date().toISOString(),
      editedAt: null,
      threadId: null,
      deleted: false,
      ephemeral,
      nonce: typeof body['nonce'] === 'string' || typeof body['nonce'] === 'number' ? String(body['nonce']) : null,
    };
    if (!input.allowEmpty && this.#isEmpty(message, body)) throw Errors.emptyMessage();
    if (unarchive) this.#unarchive(channel);
    this.state.addMessage(message);
    if (channel.thread) channel.threadMembers.add(this.opts.botUserId);
    if (!ephemeral) this.dispatchMessage('MESSAGE_CREATE', message);
    return message;
  }

  editMessage(message: StoredMessage, body: JsonObject, files: UploadedFile[]): StoredMessage {
    this.#validateMessageBody(body, files);
    // Compute the edited message first: a refused edit must leave the message untouched.
    const next: StoredMessage = { ...message };
    if (typeof body['content'] === 'string' || body['content'] === null) next.content = this.#content(body['content']);
    if (Array.isArray(body['embeds'])) next.embeds = body['embeds'];
    if (body['embeds'] === null) next.embeds = [];
    if (Array.isArray(body['components'])) next.components = body['components'];
    if (body['components'] === null) next.components = [];
    next.attachments = this.#resolveAttachments(message.channelId, body, files, message.attachments);
    if ('allowed_mentions' in body) next.allowedMentions = this.#allowedMentions(body);
    if (typeof body['flags'] === 'number') {
      // Only SUPPRESS_EMBEDS may change on edit; ephemeral stays as it was.
      next.flags = (next.flags & ~4) | (body['flags'] & 4);
    }
    // Editing a deferred response replaces the "thinking…" state.
    next.flags &= ~128;
    if (this.#isEmpty(next, body)) throw Errors.emptyMessage();
    next.mentions = this.computeMessageMentions(next);
    next.editedAt = new Date().toISOString();
    Object.assign(message, next);
    if (!message.ephemeral) this.dispatchMessage('MESSAGE_UPDATE', message);
    return message;
  }

  deleteMessage(message: StoredMessage): void {
    message.deleted = true;
    if (!message.ephemeral) {
      this.gateway.dispatchGuild(message.guildId, 'MESSAGE_DELETE', {
        id: message.id,
        channel_id: message.channelId,
        guild_id: message.guildId,
      });
    }
  }

  /** MESSAGE_CREATE/UPDATE; without the MessageContent intent the content is blanked unless the bot wrote or is mentioned in it. */
  dispatchMessage(t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: StoredMessage): void {
    const json = this.state.messageJson(message);
    const visible = message.authorId === this.opts.botUserId || message.mentions.users.includes(this.opts.botUserId);
    this.gateway.dispatchGuild(message.guildId, t, json, (d, intents) => {
      if (visible || (intents & Intents.MessageContent) !== 0) return d;
      return { ...d, content: '', embeds: [], attachments: [], components: [] };
    });
  }

  // ---- threads ---------------------------------------------------------------------------------------

  createThread(parentId: string, body: JsonObject, fromMessageId: string | null): ChannelRecord {
    const parent = this.channel(parentId);
    if (!THREAD_PARENT_TYPES.includes(parent.type)) throw Errors.wrongChannelType();
    let source: StoredMessage | undefined;
    if (fromMessageId !== null) {
      source = this.state.messages.get(fromMessageId);
      if (!source || source.channelId !== parent.id || source.deleted) throw Errors.unknownMessage();
      if (source.threadId) throw Errors.threadAlreadyCreated();
    }
    const nameErrors = threadNameErrors(body['name'], true);
    const duration = body['auto_archive_duration'] ?? 4320;
    if (typeof duration !== 'number' || !AUTO_ARCHIVE_DURATIONS.includes(duration)) {
      nameErrors.push({ path: ['auto_archive_duration'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {60, 1440, 4320, 10080}.` });
    }
    let type: 10 | 11 | 12;
    if (source) type = parent.type === 5 ? 10 : 11;
    else {
      const t = body['type'] ?? 12;
      if (t !== 10 && t !== 11 && t !== 12) {
        nameErrors.push({ path: ['type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {10, 11, 12}.' });
        type = 12;
      } else type = t;
      if (type === 12 && parent.type !== 0) throw Errors.wrongChannelType();
    }
    if (nameErrors.length > 0) throw invalidFormBody(nameErrors);
    this.requireBotPerms(parent, type === 12 ? Perm.CreatePrivateThreads : Perm.CreatePublicThreads);
    const now = new Date().toISOString();
    const thread: ChannelRecord = {
      id: source ? source.id : this.state.ids.next(),
      guildId: parent.guildId,
      type,
      name: String(body['name']),
      position: 0,
      parentId: parent.id,
      topic: null,
      overwrites: [],
      lastMessageId: null,
      ownerId: this.opts.botUserId,
      thread: {
        archived: false,
        locked: false,
        autoArchiveDuration: duration as number,
        archiveTimestamp: now,
        createTimestamp: now,
        invitable: body['invitable'] !== false,
      },
      messageCount: 0,
      threadMembers: new Set([this.opts.botUserId]),
      userLimit: 0,
      bitrate: 0,
    };
    this.state.channels.set(thread.id, thread);
    if (source) {
      source.threadId = thread.id;
      source.flags |= 32; // HAS_THREAD
    }
    this.gateway.dispatchGuild(thread.guildId, 'THREAD_CREATE', { ...this.state.channelJson(thread), newly_created: true });
    return thread;
  }

  /** PATCH /channels/{id}: archive, lock, rename a thread; rename or re-topic a channel. */
  patchChannel(channel: ChannelRecord, body: JsonObject): ChannelRecord {
    const perms = this.botPerms(channel);
    if (!has(perms, Perm.ViewChannel)) throw Errors.missingAccess();
    if (channel.thread) {
      const meta = channel.thread;
      const isOwner = channel.ownerId === this.opts.botUserId;
      const manage = has(perms, Perm.ManageThreads);
      const keys = Object.keys(body);
      if (meta.archived && body['archived'] !== false && keys.some((k) => k !== 'archived' && k !== 'locked')) {
        throw Errors.archivedThread();
      }
      if (meta.locked && !manage) throw Errors.missingPermissions();
      if ('locked' in body && !manage) throw Errors.missingPermissions();
      if (('name' in body || 'archived' in body || 'auto_archive_duration' in body) && !isOwner && !manage) {
        throw Errors.missingPermissions();
      }
      const errors = threadNameErrors(body['name'], false);
      const duration = body['auto_archive_duration'];
      if (duration !== undefined && (typeof duration !== 'number' || !AUTO_ARCHIVE_DURATIONS.includes(duration))) {
        errors.push({ path: ['auto_archive_duration'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {60, 1440, 4320, 10080}.' });
      }
      if (errors.length > 0) throw invalidFormBody(errors);
      if (typeof body['name'] === 'string') channel.name = body['name'];
      if (typeof duration === 'number') meta.autoArchiveDuration = duration;
      if (typeof body['locked'] === 'boolean') meta.locked = body['locked'];
      if (typeof body['invitable'] === 'boolean') meta.invitable = body['invitable'];
      if (typeof body['archived'] === 'boolean' && body['archived'] !== meta.archived) {
        meta.archived = body['archived'];
        meta.archiveTimestamp = new Date().toISOString();
      }
      this.gateway.dispatchGuild(channel.guildId, 'THREAD_UPDATE', this.state.channelJson(channel));
      return channel;
    }
    if (!has(perms, Perm.ManageChannels)) throw Errors.missingPermissions();
    const errors = threadNameErrors(body['name'], false);
    if (typeof body['topic'] === 'string' && body['topic'].length > 1024) {
      errors.push({ path: ['topic'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' });
    }
    if (errors.length > 0) throw invalidFormBody(errors);
    if (typeof body['name'] === 'string') channel.name = body['name'];
    if (typeof body['topic'] === 'string' || body['topic'] === null) channel.topic = body['topic'];
    if (typeof body['position'] === 'number') channel.position = body['position'];
    this.gateway.dispatchGuild(channel.guildId, 'CHANNEL_UPDATE', this.state.channelJson(channel));
    return channel;
  }
}

export function jsonOf(v: unknown): Json {
  return asJson(v);
}

export { ApiError };
