// Interactions: building INTERACTION_CREATE as Discord sends it, tracking each one's acknowledgement and
// later responses (@original edits, follow-ups), and enforcing Discord's rules on them.
import { Waiters } from './waiters.ts';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { UploadedFile } from './body.ts';
import type { Core } from './core.ts';
import { ApiError, Errors, invalidFormBody } from './errors.ts';
import type { ChannelRecord, CommandRecord, Json, JsonObject, StoredMessage } from './model.ts';
import { Perm, has } from './permissions.ts';
import { isJsonObject } from './state.ts';
import { autocompleteErrors, messageErrors, modalErrors, textInputsOfRow } from './validation.ts';

/** 2 = slash command, 3 = component (button/select), 4 = autocomplete, 5 = modal submit. */
export type InteractionType = 2 | 3 | 4 | 5;

/** The bot's interaction callback (POST /interactions/{id}/{token}/callback). */
export interface CallbackEvent {
  kind: 'callback';
  /** 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  type: number;
  data: JsonObject | null;
  files: UploadedFile[];
  /** False when the emulator refused it (late, second ack, invalid type, limits…). */
  accepted: boolean;
  status: number;
  /** Discord error code when refused (10062, 40060, 50035, …). */
  errorCode: number | null;
  /** Milliseconds from sending INTERACTION_CREATE to this callback arriving at the emulator. */
  latencyMs: number;
  /** The message the callback created or updated (types 4, 5, 7), as it was then. */
  message: StoredMessage | null;
  at: number;
}

/** Something the bot did with the interaction's webhook after the callback. */
export interface WebhookEvent {
  kind: 'edit-original' | 'delete-original' | 'followup' | 'edit-message' | 'delete-message';
  /** The message as it was after this event. */
  message: StoredMessage | null;
  accepted: boolean;
  status: number;
  errorCode: number | null;
  /** A follow-up that replaced a pending deferred reply (Discord's backwards-compatible behaviour). */
  replacedDeferred: boolean;
  at: number;
}

export type InteractionEvent = CallbackEvent | WebhookEvent;

/** A handle on one interaction sent to the bot. */
export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly type: InteractionType;
  /** The INTERACTION_CREATE payload as sent. */
  readonly payload: JsonObject;
  /** Resolves with the bot's first callback attempt, accepted or refused; never rejects. */
  readonly response: Promise<CallbackEvent>;
  /** Like `response`, but rejects after `timeoutMs` (default 5,000) without a callback. */
  waitForAck(timeoutMs?: number): Promise<CallbackEvent>;
  /** Everything the bot did with this interaction, in order. */
  events(): readonly InteractionEvent[];
  /** The first event (past or future) matching `pred`. */
  waitFor(pred: (e: InteractionEvent) => boolean, timeoutMs?: number): Promise<InteractionEvent>;
  /** The first accepted edit of @original (past or future) whose resulting message matches `pred`. */
  waitForEdit(pred?: (m: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage>;
  waitForAnswer(pred?: (m: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage>;
  /** The first accepted follow-up (past or future) matching `pred`. */
  waitForFollowUp(pred?: (m: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage>;
  /** The current @original message (reply, deferred reply, or the updated component message). */
  original(): StoredMessage | undefined;
  followUps(): StoredMessage[];
  /** Invalidates the token as if 15 minutes had passed. */
  expire(): void;
}

const DEFAULT_WAIT_MS = 5000;

export class InteractionRecord implements InteractionHandle {
  readonly response: Promise<CallbackEvent>;
  #resolveResponse!: (e: CallbackEvent) => void;
  readonly #events: InteractionEvent[] = [];
  readonly #waiters = new Waiters();
  readonly sentAt = performance.now();
  readonly sentAtWall = Date.now();
  acked = false;
  dead = false;
  expired = false;
  originalMessageId: string | null = null;
  readonly followUpIds: string[] = [];
  /** The modal shown in answer (callback type 9). */
  modal: JsonObject | null = null;
  deadlineTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    readonly token: string,
    readonly type: InteractionType,
    readonly payload: JsonObject,
    readonly guildId: string,
    readonly channelId: string,
    readonly userId: string,
    /** For component interactions and modals opened from them: the message carrying the component. */
    readonly sourceMessageId: string | null,
    private readonly core: Core,
  ) {
    this.response = new Promise((resolve) => {
      this.#resolveResponse = resolve;
    });
  }

  push(e: InteractionEvent): void {
    // Events keep the message as it was at that moment; original()/followUps() give the current state.
    if (e.message) e = { ...e, message: snapshot(e.message) };
    if (e.kind === 'callback' && !this.#events.some((x) => x.kind === 'callback')) this.#resolveResponse(e);
    this.#events.push(e);
    this.#waiters.notify();
  }

  events(): readonly InteractionEvent[] {
    return this.#events;
  }

  waitFor(pred: (e: InteractionEvent) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<InteractionEvent> {
    return this.#waiters.first(() => this.#events.find(pred), timeoutMs, `interaction ${this.id}: no matching response within ${timeoutMs} ms`);
  }

  async waitForAck(timeoutMs = DEFAULT_WAIT_MS): Promise<CallbackEvent> {
    const e = await this.waitFor((x) => x.kind === 'callback', timeoutMs);
    return e as CallbackEvent;
  }

  async waitForEdit(pred: (m: StoredMessage) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<StoredMessage> {
    const e = await this.waitFor((x) => x.kind === 'edit-original' && x.accepted && x.message !== null && pred(x.message), timeoutMs);
    if (!e.message) throw new Error('unreachable: edit without message');
    return e.message;
  }

  /**
   * The answer a person sees: a reply sent as the acknowledgement itself (callback type 4), or the
   * edit of a deferred or earlier reply.
   */
  async waitForAnswer(pred: (m: StoredMessage) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<StoredMessage> {
    const e = await this.waitFor(
      (x) => ((x.kind === 'callback' && x.type === 4) || x.kind === 'edit-original') && x.accepted && x.message !== null && pred(x.message),
      timeoutMs,
    );
    if (!e.message) throw new Error('unreachable: answer without message');
    return e.message;
  }

  async waitForFollowUp(pred: (m: StoredMessage) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<StoredMessage> {
    const e = await this.waitFor((x) => x.kind === 'followup' && x.accepted && x.message !== null && pred(x.message), timeoutMs);
    if (!e.message) throw new Error('unreachable: follow-up without message');
    return e.message;
  }

  original(): StoredMessage | undefined {
    if (!this.originalMessageId) return undefined;
    const m = this.core.state.messages.get(this.originalMessageId);
    return m && !m.deleted ? m : undefined;
  }

  followUps(): StoredMessage[] {
    return this.followUpIds.map((id) => this.core.state.messages.get(id)).filter((m): m is StoredMessage => m !== undefined && !m.deleted);
  }

  expire(): void {
    this.expired = true;
  }

  tokenExpired(): boolean {
    return this.expired || Date.now() - this.sentAtWall > this.core.opts.interactionTokenTtlMs;
  }
}

// ---- building payloads ------------------------------------------------------------------------------------

export type OptionValue = string | number | boolean;
/** Option values by name; `{type, value}` forces an option type when the command is not registered. */
export type SlashOptions = Record<string, OptionValue | { type: number; value: OptionValue }>;

export class InteractionRegistry {
  readonly byId = new Map<string, InteractionRecord>();
  readonly byToken = new Map<string, InteractionRecord>();
  /** Last modal shown to each user (custom_id → modal data, and the interaction that showed it). */
  readonly modalsShown = new Map<string, { modal: JsonObject; from: InteractionRecord }>();

  constructor(private readonly core: Core) {}

  #memberJson(guildId: string, userId: string, channelId: string): JsonObject {
    const m = this.core.state.member(guildId, userId);
    if (!m) throw new Error(`user ${userId} is not a member of guild ${guildId}`);
    return {
      ...this.core.state.memberJson(m),
      permissions: this.core.state.permissions(guildId, userId, channelId).toString(),
    };
  }

  #base(type: InteractionType, userId: string, channel: ChannelRecord): { id: string; token: string; json: JsonObject } {
    const { state, opts } = this.core;
    const id = state.ids.next();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
    const json: JsonObject = {
      id,
      application_id: opts.applicationId,
      type,
      token,
      version: 1,
      guild_id: channel.guildId,
      guild: { id: channel.guildId, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      channel_id: channel.id,
      channel: state.channelJson(channel),
      member: this.#memberJson(channel.guildId, userId, channel.id),
      app_permissions: state.permissions(channel.guildId, opts.botUserId, channel.id).toString(),
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': channel.guildId },
      context: 0,
      attachment_size_limit: 26214400,
    };
    return { id, token, json };
  }

  #checkInvoker(userId: string, channel: ChannelRecord): void {
    const { state } = this.core;
    if (!state.member(channel.guildId, userId)) throw new Error(`user ${userId} is not a member of guild ${channel.guildId}`);
    const perms = state.permissions(channel.guildId, userId, channel.id);
    if (!has(perms, Perm.ViewChannel)) throw new Error(`user ${userId} cannot see channel ${channel.id}`);
  }

  #send(rec: InteractionRecord): InteractionRecord {
    if (!this.core.gateway.dispatchInteraction(rec.guildId, rec.payload)) {
      throw new Error(`no gateway session owns guild ${rec.guildId}: log the bot in first`);
    }
    this.byId.set(rec.id, rec);
    this.byToken.set(rec.token, rec);
    const timer = setTimeout(() => {
      if (!rec.acked) {
        this.core.violate('no-ack', `no response to interaction within ${this.core.opts.ackDeadlineMs} ms`, { interactionId: rec.id });
      }
    }, this.core.opts.ackDeadlineMs);
    timer.unref();
    rec.deadlineTimer = timer;
    return rec;
  }

  /** The registered command `name` visible in the guild (guild commands shadow global ones). */
  findCommand(guildId: string, name: string): CommandRecord | undefined {
    const all = [...this.core.state.commands.values()].filter((c) => c.name === name && c.type === 1);
    return all.find((c) => c.guildId === guildId) ?? all.find((c) => c.guildId === null);
  }

  #options(
    guildId: string,
    channelId: string,
    defs: Json | undefined,
    values: SlashOptions,
    focused: string | null,
    resolved: { users: JsonObject; members: JsonObject; roles: JsonObject; channels: JsonObject },
  ): JsonObject[] {
    const { state } = this.core;
    const defList = Array.isArray(defs) ? defs.filter(isJsonObject) : null;
    const out: JsonObject[] = [];
    for (const [name, raw] of Object.entries(values)) {
      const def = defList?.find((d) => d['name'] === name);
      if (defList && !def) throw new Error(`option "${name}" is not defined by the registered command`);
      const value = typeof raw === 'object' ? raw.value : raw;
      let type: number;
      if (def && typeof def['type'] === 'number') type = def['type'];
      else if (typeof raw === 'object') type = raw.type;
      else type = typeof raw === 'boolean' ? 5 : typeof raw === 'number' ? (Number.isInteger(raw) ? 4 : 10) : 3;
      const isFocused = focused === name;
      if (!isFocused) {
        if ((type === 3 || type === 6 || type === 7 || type === 8 || type === 9) && typeof value !== 'string')
          throw new Error(`option "${name}" needs a string`);
        if (type === 4 && !(typeof value === 'number' && Number.isInteger(value))) throw new Error(`option "${name}" needs an integer`);
        if (type === 10 && typeof value !== 'number') throw new Error(`option "${name}" needs a number`);
        if (type === 5 && typeof value !== 'boolean') throw new Error(`option "${name}" needs a boolean`);
        const choices = def?.['choices'];
        if (Array.isArray(choices) && choices.length > 0 && !choices.some((c) => isJsonObject(c) && c['value'] === value)) {
          throw new Error(`option "${name}": ${String(value)} is not one of its choices`);
        }
      }
      const opt: JsonObject = { name, type, value };
      if (isFocused) opt['focused'] = true;
      out.push(opt);
      if (isFocused || typeof value !== 'string') continue;
      if (type === 6 || type === 9) {
        if (state.users.has(value)) {
          resolved.users[value] = state.userJson(value);
          const m = state.member(guildId, value);
          if (m) resolved.members[value] = { ...state.memberJson(m, false), permissions: state.permissions(guildId, value, channelId).toString() };
        } else if (type === 6) throw new Error(`option "${name}": unknown user ${value}`);
      }
      if (type === 8 || type === 9) {
        const r = state.roles.get(value);
        if (r) resolved.roles[value] = state.roleJson(r);
        else if (type === 8) throw new Error(`option "${name}": unknown role ${value}`);
      }
      if (type === 7) {
        const c = state.channels.get(value);
        if (!c) throw new Error(`option "${name}": unknown channel ${value}`);
        resolved.channels[value] = { ...state.channelJson(c), permissions: state.permissions(guildId, this.core.opts.botUserId, value).toString() };
      }
    }
    if (defList && focused === null) {
      for (const d of defList) {
        if (d['required'] === true && typeof d['name'] === 'string' && !(d['name'] in values)) {
          throw new Error(`required option "${d['name']}" missing`);
        }
      }
    }
    return out;
  }

  /**
   * Commands a server's admins opened to everyone in Server Settings → Integrations (`guildId:name`):
   * Discord then shows them regardless of default_member_permissions, so the bot's own check on use
   * is all that stands between a member and the command.
   */
  readonly permissionOverrides = new Set<string>();

  /** Slash command (type 2) or autocomplete (type 4, `focused` names the option being typed). */
  command(userId: string, channelId: string, fullName: string, values: SlashOptions, focused: string | null): InteractionRecord {
    const { state, opts } = this.core;
    const channel = state.channels.get(channelId);
    if (!channel) throw new Error(`unknown channel ${channelId}`);
    this.#checkInvoker(userId, channel);
    const [name = '', ...subPath] = fullName.trim().split(/\s+/);
    const cmd = this.findCommand(channel.guildId, name);
    if (!cmd && opts.strictCommands) throw new Error(`command /${name} is not registered (global or in guild ${channel.guildId})`);
    if (cmd) {
      const dmp = cmd.body['default_member_permissions'];
      const overridden = this.permissionOverrides.has(`${channel.guildId}:${name}`);
      if (!overridden && typeof dmp === 'string' && !has(state.permissions(channel.guildId, userId, channel.id), BigInt(dmp))) {
        throw new Error(`user ${userId} lacks default_member_permissions ${dmp} for /${name}`);
      }
    }
    const resolved = { users: {}, members: {}, roles: {}, channels: {} } as { users: JsonObject; members: JsonObject; roles: JsonObject; channels: JsonObject };
    let defs: Json | undefined = cmd ? (cmd.body['options'] ?? []) : undefined;
    const wrap: { name: string; type: number }[] = [];
    for (const sub of subPath) {
      const list: JsonObject[] | null = Array.isArray(defs) ? defs.filter(isJsonObject) : null;
      const def: JsonObject | undefined = list?.find((d: JsonObject) => d['name'] === sub);
      if (list && !def) throw new Error(`subcommand "${sub}" is not defined by /${name}`);
      const t = def && typeof def['type'] === 'number' ? def['type'] : subPath.length === 2 && wrap.length === 0 ? 2 : 1;
      wrap.push({ name: sub, type: t });
      defs = def ? (def['options'] ?? []) : undefined;
    }
    let options: JsonObject[] = this.#options(channel.guildId, channel.id, defs, values, focused, resolved);
    for (const w of [...wrap].reverse()) options = [{ name: w.name, type: w.type, options }];
    const type: InteractionType = focused === null ? 2 : 4;
    const base = this.#base(type, userId, channel);
    const data: JsonObject = { id: cmd?.id ?? state.ids.next(), name, type: 1, options };
    if (cmd?.guildId) data['guild_id'] = cmd.guildId;
    const res: JsonObject = {};
    for (const [k, v] of Object.entries(resolved)) if (Object.keys(v as JsonObject).length > 0) res[k] = v;
    if (Object.keys(res).length > 0) data['resolved'] = res;
    base.json['data'] = data;
    return this.#send(new InteractionRecord(base.id, base.token, type, base.json, channel.guildId, channel.id, userId, null, this.core));
  }

  /** Modal submit (type 5) for the last modal with `customId` shown to the user; unspecified fields keep their pre-filled value. */
  modalSubmit(userId: string, channelId: string, customId: string, fields: Record<string, string>): InteractionRecord {
    const { state } = this.core;
    const channel = state.channels.get(channelId);
    if (!channel) throw new Error(`unknown channel ${channelId}`);
    this.#checkInvoker(userId, channel);
    const shown = this.modalsShown.get(`${userId}:${customId}`);
    if (!shown) throw new Error(`no modal "${customId}" was shown to user ${userId}`);
    const rows = Array.isArray(shown.modal['components']) ? shown.modal['components'].filter(isJsonObject) : [];
    const known = new Set<string>();
    let nextId = 1;
    const components: JsonObject[] = rows.map((row) => {
      const inputs = textInputsOfRow(row).map(({ input }) => {
        const cid = String(input['custom_id']);
        known.add(cid);
        const value = fields[cid] ?? (typeof input['value'] === 'string' ? input['value'] : '');
        const min = typeof input['min_length'] === 'number' ? input['min_length'] : 0;
        const max = typeof input['max_length'] === 'number' ? input['max_length'] : 4000;
        if (input['required'] !== false && value.length === 0) throw new Error(`modal field "${cid}" is required`);
        if (value.length > 0 && (value.length < min || value.length > max)) throw new Error(`modal field "${cid}" must be ${min}–${max} characters`);
        return { type: 4, id: nextId++, custom_id: cid, value };
      });
      if (row['type'] === 18) return { type: 18, id: nextId++, component: inputs[0] ?? null };
      return { type: 1, id: nextId++, components: inputs };
    });
    for (const k of Object.keys(fields)) if (!known.has(k)) throw new Error(`modal "${customId}" has no field "${k}"`);
    const base = this.#base(5, userId, channel);
    base.json['data'] = { custom_id: customId, components };
    const source = shown.from.sourceMessageId;
    if (source) {
      const m = state.messages.get(source);
      if (m) base.json['message'] = state.messageJson(m);
    }
    this.modalsShown.delete(`${userId}:${customId}`);
    return this.#send(new InteractionRecord(base.id, base.token, 5, base.json, channel.guildId, channel.id, userId, source, this.core));
  }

  /** Component interaction (type 3): a click on a button or a choice in a select menu of a message the bot posted. */
  component(userId: string, messageId: string, customId: string, values: string[] | undefined): InteractionRecord {
    const { state } = this.core;
    const message = state.messages.get(messageId);
    if (!message || message.deleted) throw new Error(`unknown message ${messageId}`);
    const channel = state.channels.get(message.channelId);
    if (!channel) throw new Error(`unknown channel ${message.channelId}`);
    this.#checkInvoker(userId, channel);
    const found = findComponent(message.components, customId);
    if (!found) throw new Error(`message ${messageId} has no component "${customId}"`);
    if (found['disabled'] === true) throw new Error(`component "${customId}" is disabled`);
    const base = this.#base(3, userId, channel);
    const data: JsonObject = { custom_id: customId, component_type: typeof found['type'] === 'number' ? found['type'] : 2 };
    if (values) data['values'] = values;
    base.json['data'] = data;
    base.json['message'] = state.messageJson(message);
    return this.#send(new InteractionRecord(base.id, base.token, 3, base.json, channel.guildId, channel.id, userId, message.id, this.core));
  }

  // ---- REST side ----------------------------------------------------------------------------------------

  /** POST /interactions/{id}/{token}/callback */
  callback(
    id: string,
    token: string,
    body: Json | undefined,
    files: UploadedFile[],
    withResponse: boolean,
    arrivedAt: number,
  ): { status: number; json?: JsonObject } {
    const rec = this.byId.get(id);
    const latencyMs = rec ? arrivedAt - rec.sentAt : 0;
    const b = isJsonObject(body) ? body : {};
    const type = typeof b['type'] === 'number' ? b['type'] : -1;
    const data = isJsonObject(b['data']) ? b['data'] : null;
    const event = (accepted: boolean, status: number, errorCode: number | null, message: StoredMessage | null): CallbackEvent => ({
      kind: 'callback',
      type,
      data,
      files,
      accepted,
      status,
      errorCode,
      latencyMs,
      message,
      at: arrivedAt,
    });
    const fail = (err: ApiError): never => {
      if (rec && rec.token === token) rec.push(event(false, err.status, err.code, null));
      throw err;
    };
    if (!rec || rec.token !== token) throw Errors.unknownInteraction();
    if (rec.acked) {
      this.core.violate('second-ack', 'the interaction was already acknowledged', { interactionId: id });
      fail(new ApiError(400, 40060, 'Interaction has already been acknowledged.'));
    }
    if (rec.dead || rec.tokenExpired()) fail(Errors.unknownInteraction());
    if (latencyMs > this.core.opts.ackDeadlineMs) {
      rec.dead = true;
      this.core.violate('late-ack', `first response ${Math.round(latencyMs)} ms after the interaction (limit ${this.core.opts.ackDeadlineMs} ms)`, {
        interactionId: id,
      });
      fail(new ApiError(404, 10062, 'Unknown interaction'));
    }
    const allowed: Record<InteractionType, number[]> = {
      2: [4, 5, 9],
      3: [4, 5, 6, 7, 9],
      4: [8],
      5: rec.sourceMessageId ? [4, 5, 6, 7] : [4, 5],
    };
    if (!allowed[rec.type].includes(type)) {
      const modalAfterModal = rec.type === 5 && type === 9;
      const kind = modalAfterModal ? 'modal-after-modal' : 'invalid-callback-type';
      fail(
        invalidFormBody(
          [
            {
              path: ['type'],
              code: 'INTERACTION_RESPONSE_TYPE_INVALID',
              message: modalAfterModal
                ? 'A modal cannot be shown in answer to a modal submit.'
                : `Callback type ${type} is not valid for interaction type ${rec.type}.`,
            },
          ],
          kind,
        ),
      );
    }
    let message: StoredMessage | null = null;
    try {
      if (type === 4 || type === 7) {
        const errors = messageErrors(data ?? {}, ['data']);
        if (errors.length > 0) throw invalidFormBody(errors, 'message-limits');
      } else if (type === 9) {
        const errors = modalErrors(data ?? {}, this.core.opts.rules.modalRules);
        if (errors.length > 0) throw invalidFormBody(errors, 'modal-limits');
      } else if (type === 8) {
        const errors = autocompleteErrors(data ?? {});
        if (errors.length > 0) throw invalidFormBody(errors, 'autocomplete-limits');
      }
      switch (type) {
        case 4:
          message = this.core.createMessage({
            channelId: rec.channelId,
            authorId: this.core.opts.botUserId,
            body: data ?? {},
            files,
            interactionId: rec.id,
            checkPermissions: false,
            archivedRule: this.core.opts.rules.archivedThreads,
          });
          rec.originalMessageId = message.id;
          break;
        case 5: {
          const flags = (data && typeof data['flags'] === 'number' ? data['flags'] : 0) & 64;
          message = this.core.createMessage({
            channelId: rec.channelId,
            authorId: this.core.opts.botUserId,
            body: { content: '', flags },
            files: [],
            interactionId: rec.id,
            checkPermissions: false,
            allowEmpty: true,
            extraFlags: 128,
            archivedRule: this.core.opts.rules.archivedThreads,
          });
          rec.originalMessageId = message.id;
          break;
        }
        case 6:
          rec.originalMessageId = rec.sourceMessageId;
          message = rec.original() ?? null;
          break;
        case 7: {
          const source = rec.sourceMessageId ? this.core.state.messages.get(rec.sourceMessageId) : undefined;
          if (!source) throw Errors.unknownMessage();
          this.core.refuseWebhookEditInArchived(source);
          message = this.core.editMessage(source, data ?? {}, files);
          rec.originalMessageId = source.id;
          break;
        }
        case 9:
          rec.modal = data;
          if (data && typeof data['custom_id'] === 'string') {
            this.modalsShown.set(`${rec.userId}:${data['custom_id']}`, { modal: data, from: rec });
          }
          break;
        case 8:
          break;
      }
    } catch (err) {
      if (err instanceof ApiError) fail(err);
      throw err;
    }
    rec.acked = true;
    if (rec.deadlineTimer) clearTimeout(rec.deadlineTimer);
    rec.push(event(true, withResponse ? 200 : 204, null, message));
    if (!withResponse) return { status: 204 };
    const interaction: JsonObject = {
      id: rec.id,
      type: rec.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: type === 5,
      response_message_ephemeral: message?.ephemeral ?? false,
    };
    const resource: JsonObject = { type };
    if (message) resource['message'] = this.core.state.messageJson(message);
    return { status: 200, json: { interaction, resource } };
  }

  /**
   * Forgets the interactions that have been answered (acknowledged, and not still showing a deferral's
   * "thinking…"), as if their tokens had expired, and returns the ids of their ephemeral messages
   * (reachable only through those tokens). Handles kept by a test get no more events.
   */
  forgetAnswered(): Set<string> {
    const ephemeral = new Set<string>();
    for (const rec of this.byId.values()) {
      if (!rec.acked) continue;
      if (((rec.original()?.flags ?? 0) & 128) !== 0) continue;
      this.byId.delete(rec.id);
      this.byToken.delete(rec.token);
      for (const id of [rec.originalMessageId, ...rec.followUpIds]) {
        if (id !== null && this.core.state.messages.get(id)?.ephemeral === true) ephemeral.add(id);
      }
    }
    return ephemeral;
  }

  /**
   * The interaction behind a webhook token. Discord answers a token past its 15 minutes (or one it never
   * issued) with 401, 50027 Invalid Webhook Token (discord-api-docs #6851); without the rule, 10015.
   */
  webhook(appId: string, token: string): InteractionRecord {
    if (appId !== this.core.opts.applicationId) throw Errors.unknownWebhook();
    const rec = this.byToken.get(token);
    if (!rec || rec.tokenExpired()) throw this.core.opts.rules.expiredTokenUnauthorized ? Errors.invalidWebhookToken() : Errors.unknownWebhook();
    if (rec.dead) throw Errors.unknownWebhook();
    return rec;
  }

  #messageOf(rec: InteractionRecord, messageId: string): { message: StoredMessage; original: boolean } {
    const original = messageId === '@original';
    const id = original ? rec.originalMessageId : messageId;
    if (!id || (!original && id !== rec.originalMessageId && !rec.followUpIds.includes(id))) throw Errors.unknownMessage();
    const message = this.core.state.messages.get(id);
    if (!message || message.deleted) throw Errors.unknownMessage();
    return { message, original: original || id === rec.originalMessageId };
  }

  #webhookFail(rec: InteractionRecord, kind: WebhookEvent['kind'], err: unknown): never {
    if (err instanceof ApiError) {
      rec.push({ kind, message: null, accepted: false, status: err.status, errorCode: err.code, replacedDeferred: false, at: performance.now() });
    }
    throw err;
  }

  getMessage(rec: InteractionRecord, messageId: string): StoredMessage {
    return this.#messageOf(rec, messageId).message;
  }

  editMessage(rec: InteractionRecord, messageId: string, body: JsonObject, files: UploadedFile[]): StoredMessage {
    const kind = messageId === '@original' ? 'edit-original' : 'edit-message';
    try {
      const { message, original } = this.#messageOf(rec, messageId);
      this.core.refuseWebhookEditInArchived(message);
      const edited = this.core.editMessage(message, body, files);
      rec.push({
        kind: original ? 'edit-original' : 'edit-message',
        message: edited,
        accepted: true,
        status: 200,
        errorCode: null,
        replacedDeferred: false,
        at: performance.now(),
      });
      return edited;
    } catch (err) {
      return this.#webhookFail(rec, kind, err);
    }
  }

  deleteMessage(rec: InteractionRecord, messageId: string): void {
    const kind = messageId === '@original' ? 'delete-original' : 'delete-message';
    try {
      const { message, original } = this.#messageOf(rec, messageId);
      this.core.deleteMessage(message);
      rec.push({
        kind: original ? 'delete-original' : 'delete-message',
        message,
        accepted: true,
        status: 204,
        errorCode: null,
        replacedDeferred: false,
        at: performance.now(),
      });
    } catch (err) {
      this.#webhookFail(rec, kind, err);
    }
  }

  /** POST /webhooks/{app}/{token}: a follow-up. While a deferred reply is still "thinking…", it becomes that reply. */
  followUp(rec: InteractionRecord, body: JsonObject, files: UploadedFile[]): StoredMessage {
    try {
      if (!rec.acked) throw Errors.unknownWebhook();
      const pending = rec.original();
      if (pending && (pending.flags & 128) !== 0) {
        this.core.refuseWebhookEditInArchived(pending);
        const edited = this.core.editMessage(pending, body, files);
        rec.push({ kind: 'followup', message: edited, accepted: true, status: 200, errorCode: null, replacedDeferred: true, at: performance.now() });
        return edited;
      }
      const message = this.core.createMessage({
        channelId: rec.channelId,
        authorId: this.core.opts.botUserId,
        body,
        files,
        interactionId: rec.id,
        checkPermissions: false,
        archivedRule: this.core.opts.rules.archivedThreads,
      });
      rec.followUpIds.push(message.id);
      rec.push({ kind: 'followup', message, accepted: true, status: 200, errorCode: null, replacedDeferred: false, at: performance.now() });
      return message;
    } catch (err) {
      return this.#webhookFail(rec, 'followup', err);
    }
  }
}

function snapshot(m: StoredMessage): StoredMessage {
  return { ...m, attachments: [...m.attachments], embeds: [...m.embeds], components: [...m.components], mentions: { ...m.mentions } };
}

function findComponent(components: Json[], customId: string): JsonObject | undefined {
  for (const c of components) {
    if (!isJsonObject(c)) continue;
    if (c['custom_id'] === customId) return c;
    const nested = [...(Array.isArray(c['components']) ? c['components'] : []), ...(isJsonObject(c['accessory']) ? [c['accessory']] : [])];
    const hit = findComponent(nested, customId);
    if (hit) return hit;
  }
  return undefined;
}
