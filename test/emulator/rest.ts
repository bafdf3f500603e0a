// REST under /api/v10 on node:http: routing, authentication, request recording, fault injection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyError, parseBody, type ParsedBody } from './body.ts';
import type { Core, RecordedRequest } from './core.ts';
import { ApiError, Errors, invalidFormBody } from './errors.ts';
import type { InteractionRegistry } from './interactions.ts';
import type { CommandRecord, Json, JsonObject } from './model.ts';
import { Perm } from './permissions.ts';
import { isJsonObject } from './state.ts';
import { commandErrors } from './validation.ts';
import type { RateLimiter } from './ratelimits.ts';

interface Ctx {
  params: Record<string, string>;
  query: URLSearchParams;
  body: ParsedBody;
  arrivedAt: number;
}

interface Reply {
  status: number;
  json?: Json;
}

interface Route {
  method: string;
  template: string;
  parts: string[];
  auth: boolean;
  handle: (ctx: Ctx) => Reply | Promise<Reply>;
}

const MAX_BODY = 26 * 1024 * 1024;
/** Keys of a guild that only the gateway's GUILD_CREATE carries, not GET /guilds/{id}. */
const GATEWAY_ONLY_GUILD_KEYS = new Set(['members', 'channels', 'threads', 'voice_states', 'presences', 'joined_at', 'large', 'member_count']);

export class RestApi {
  readonly #routes: Route[] = [];
  #bucketCounter = 0;

  constructor(
    private readonly core: Core,
    private readonly interactions: InteractionRegistry,
    private readonly gatewayUrl: () => string,
    private readonly shardCount: () => number,
    private readonly maxConcurrency: number,
    /** Discord's rate limits; null when the `rateLimits` rule is off. */
    private readonly limiter: RateLimiter | null,
  ) {
    this.#define();
  }

  #route(method: string, template: string, auth: boolean, handle: Route['handle']): void {
    this.#routes.push({ method, template, parts: template.split('/').filter(Boolean), auth, handle });
  }

  #match(method: string, segments: string[]): { route: Route; params: Record<string, string> } | { methodMismatch: true } | null {
    let pathMatched = false;
    for (const route of this.#routes) {
      if (route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < route.parts.length; i++) {
        const p = route.parts[i] ?? '';
        const s = segments[i] ?? '';
        if (p.startsWith(':')) params[p.slice(1)] = s;
        else if (p !== s) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      pathMatched = true;
      if (route.method === method) return { route, params };
    }
    return pathMatched ? { methodMismatch: true } : null;
  }

  /** Handles one HTTP request (REST under /api/v10 and attachment downloads under /attachments). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (req.method === 'GET' && url.pathname.startsWith('/attachments/')) return this.#serveAttachment(url.pathname, res);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const b = chunk as Buffer;
      size += b.length;
      if (size <= MAX_BODY) chunks.push(b);
    }
    const raw = Buffer.concat(chunks);
    const method = (req.method ?? 'GET').toUpperCase();
    const prefix = /^\/api(\/v\d+)?(?=\/)/.exec(url.pathname);
    const rel = prefix ? url.pathname.slice(prefix[0].length) : url.pathname;
    const segments = rel
      .split('/')
      .filter(Boolean)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    const path = '/' + segments.join('/');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const record: RecordedRequest = {
      seq: ++this.core.requestCount,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: undefined,
      files: [],
      route: null,
      status: 0,
      response: undefined,
      fault: null,
      startedAt: arrivedAt,
      finishedAt: 0,
    };
    this.core.requests.push(record);
    let limitHeaders: Record<string, string> = {};
    const send = (status: number, json: Json | undefined, extra: Record<string, string> = {}): void => {
      record.status = status;
      record.response = json;
      record.finishedAt = performance.now();
      const h: Record<string, string> = { ...limitHeaders, ...extra };
      if (json !== undefined) h['content-type'] = 'application/json';
      res.writeHead(status, h);
      res.end(json === undefined ? undefined : JSON.stringify(json));
      this.core.requestFinished();
    };
    const fail = (err: ApiError): void => {
      if (err.violation) this.core.violate(err.violation, err.message, { method, path });
      send(err.status, err.body());
    };

    let body: ParsedBody;
    try {
      if (size > MAX_BODY) throw Errors.tooLarge();
      body = await parseBody(req.headers['content-type'], raw);
      record.body = body.json;
      record.files = body.files;
    } catch (err) {
      if (err instanceof ApiError) return fail(err);
      if (err instanceof BodyError) return fail(new ApiError(400, 50109, 'The request body contains invalid JSON.', undefined, 'invalid-json'));
      throw err;
    }

    const found = prefix ? this.#match(method, segments) : null;
    if (!found) return fail(Errors.notFound());
    if ('methodMismatch' in found) return fail(Errors.methodNotAllowed());
    const { route, params } = found;
    record.route = `${route.method} ${route.template}`;

    if (route.auth && headers['authorization'] !== `Bot ${this.core.opts.token}`) return fail(Errors.unauthorized());
    const fault = this.core.faults.take({ method, path });
    if (fault.delayMs > 0) {
      record.fault = 'delay';
      await sleep(fault.delayMs);
    }
    if (fault.reject?.kind === 'rate-limit') {
      record.fault = 'rate-limit';
      const { retryAfter, global } = fault.reject;
      const h: Record<string, string> = {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-bucket': this.#bucket(route.template),
        'x-ratelimit-scope': global ? 'global' : 'user',
      };
      if (global) h['x-ratelimit-global'] = 'true';
      return send(429, { message: 'You are being rate limited.', retry_after: retryAfter, global, code: 0 }, h);
    }
    if (fault.reject?.kind === 'fail') {
      record.fault = 'fail';
      return send(fault.reject.status, { message: `${fault.reject.status}: Emulated server error`, code: 0 });
    }
    if (this.limiter) {
      // Interaction callbacks and their webhooks are exempt from the global limit (discord-api-docs #4416).
      const decision = this.limiter.take(`${route.method} ${route.template}`, params, !route.auth);
      limitHeaders = decision.headers;
      if (!decision.ok) {
        const scope = decision.global ? 'global limit' : `bucket of ${record.route}`;
        this.core.violate('rate-limited', `429 from the ${scope}; retry after ${decision.retryAfter.toFixed(3)} s`, { method, path });
        return send(429, decision.body);
      }
    }

    try {
      const reply = await route.handle({ params, query: url.searchParams, body, arrivedAt });
      send(reply.status, reply.json);
    } catch (err) {
      if (err instanceof ApiError) return fail(err);
      send(500, { message: `emulator error: ${err instanceof Error ? err.message : String(err)}`, code: 0 });
      this.core.violate('emulator-error', err instanceof Error ? (err.stack ?? err.message) : String(err), { method, path });
    }
  }

  #bucketIds = new Map<string, string>();
  #bucket(template: string): string {
    let id = this.#bucketIds.get(template);
    if (!id) {
      id = `emu${(++this.#bucketCounter).toString(16).padStart(8, '0')}`;
      this.#bucketIds.set(template, id);
    }
    return id;
  }

  /** GET /attachments/{channel}/{attachment}/{filename}: the uploaded bytes, like Discord's CDN. */
  #serveAttachment(pathname: string, res: ServerResponse): void {
    const [, , channelId, id] = pathname.split('/');
    const a = [...this.core.state.messages.values()]
      .filter((m) => m.channelId === channelId)
      .flatMap((m) => m.attachments)
      .find((x) => x.id === id);
    if (!a) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': a.contentType ?? 'application/octet-stream', 'content-length': String(a.size) });
    res.end(a.bytes);
  }

  #json(ctx: Ctx): JsonObject {
    const j = ctx.body.json;
    if (j === undefined) return {};
    if (!isJsonObject(j)) throw invalidFormBody([{ path: [], code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }]);
    return j;
  }

  #define(): void {
    const { core, interactions } = this;
    const { state } = core;
    const p = (ctx: Ctx, k: string): string => ctx.params[k] ?? '';

    const gateway = (): Reply => ({ status: 200, json: { url: this.gatewayUrl() } });
    this.#route('GET', '/gateway', false, gateway);
    this.#route('GET', '/gateway/bot', true, () => ({
      status: 200,
      json: {
        url: this.gatewayUrl(),
        shards: this.shardCount(),
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: this.maxConcurrency },
      },
    }));
    this.#route('GET', '/users/@me', true, () => ({ status: 200, json: { ...state.userJson(core.opts.botUserId), bot: true, verified: true } }));
    this.#route('GET', '/applications/@me', true, () => ({
      status: 200,
      json: {
        id: core.opts.applicationId,
        name: state.users.get(core.opts.botUserId)?.username ?? 'bot',
        icon: null,
        description: '',
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        owner: state.userJson(core.opts.botUserId),
        team: null,
        bot: state.userJson(core.opts.botUserId),
      },
    }));

    // ---- application commands ------------------------------------------------------------------------
    const appCheck = (ctx: Ctx): void => {
      if (p(ctx, 'app') !== core.opts.applicationId)
        throw new ApiError(403, 20012, 'You are not authorized to perform this action on this application', undefined, 'wrong-application');
    };
    const guildCheck = (ctx: Ctx): string | null => {
      const g = ctx.params['guild'];
      if (g === undefined) return null;
      if (!state.guilds.has(g)) throw Errors.unknownGuild();
      return g;
    };
    const listCommands = (guildId: string | null): Json => [...state.commands.values()].filter((c) => c.guildId === guildId).map((c) => state.commandJson(c));
    const upsert = (guildId: string | null, body: JsonObject, existing: CommandRecord | undefined): CommandRecord => {
      const rec: CommandRecord = {
        id: existing?.id ?? state.ids.next(),
        applicationId: core.opts.applicationId,
        guildId,
        name: String(body['name']),
        type: typeof body['type'] === 'number' ? body['type'] : 1,
        version: state.ids.next(),
        body,
      };
      state.commands.set(rec.id, rec);
      return rec;
    };
    for (const scoped of [false, true]) {
      const base = scoped ? '/applications/:app/guilds/:guild/commands' : '/applications/:app/commands';
      this.#route('GET', base, true, (ctx) => {
        appCheck(ctx);
        return { status: 200, json: listCommands(guildCheck(ctx)) };
      });
      this.#route('PUT', base, true, (ctx) => {
        appCheck(ctx);
        const guildId = guildCheck(ctx);
        const list = ctx.body.json;
        if (!Array.isArray(list)) throw invalidFormBody([{ path: [], code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' }]);
        const errors = list.flatMap((c, i) =>
          isJsonObject(c) ? commandErrors(c, i) : [{ path: [i], code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }],
        );
        if (list.length > 100) errors.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
        const names = list.filter(isJsonObject).map((c) => `${String(c['type'] ?? 1)}:${String(c['name'])}`);
        names.forEach((n, i) => {
          if (names.indexOf(n) !== i)
            errors.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' });
        });
        if (errors.length > 0) throw invalidFormBody(errors, 'command-definition');
        const old = [...state.commands.values()].filter((c) => c.guildId === guildId);
        for (const c of old) state.commands.delete(c.id);
        const out = list.filter(isJsonObject).map((c) => {
          const prev = old.find((o) => o.name === c['name'] && o.type === (c['type'] ?? 1));
          return state.commandJson(upsert(guildId, c, prev));
        });
        return { status: 200, json: out };
      });
      this.#route('POST', base, true, (ctx) => {
        appCheck(ctx);
        const guildId = guildCheck(ctx);
        const body = this.#json(ctx);
        const errors = commandErrors(body, 0).map((e) => ({ ...e, path: e.path.slice(1) }));
        if (errors.length > 0) throw invalidFormBody(errors, 'command-definition');
        const prev = [...state.commands.values()].find((c) => c.guildId === guildId && c.name === body['name'] && c.type === (body['type'] ?? 1));
        const rec = upsert(guildId, body, prev);
        return { status: prev ? 200 : 201, json: state.commandJson(rec) };
      });
      this.#route('GET', `${base}/:command`, true, (ctx) => {
        appCheck(ctx);
        const c = state.commands.get(p(ctx, 'command'));
        if (!c || c.guildId !== guildCheck(ctx)) throw Errors.unknownCommand();
        return { status: 200, json: state.commandJson(c) };
      });
      this.#route('DELETE', `${base}/:command`, true, (ctx) => {
        appCheck(ctx);
        const c = state.commands.get(p(ctx, 'command'));
        if (!c || c.guildId !== guildCheck(ctx)) throw Errors.unknownCommand();
        state.commands.delete(c.id);
        return { status: 204 };
      });
    }

    // ---- interactions & their webhooks -----------------------------------------------------------------
    this.#route('POST', '/interactions/:id/:token/callback', false, (ctx) => {
      const withResponse = ctx.query.get('with_response') === 'true';
      return interactions.callback(p(ctx, 'id'), p(ctx, 'token'), ctx.body.json, ctx.body.files, withResponse, ctx.arrivedAt);
    });
    this.#route('POST', '/webhooks/:app/:token', false, (ctx) => {
      const rec = interactions.webhook(p(ctx, 'app'), p(ctx, 'token'));
      const m = interactions.followUp(rec, this.#json(ctx), ctx.body.files);
      return { status: 200, json: state.messageJson(m) };
    });
    this.#route('GET', '/webhooks/:app/:token/messages/:message', false, (ctx) => {
      const rec = interactions.webhook(p(ctx, 'app'), p(ctx, 'token'));
      return { status: 200, json: state.messageJson(interactions.getMessage(rec, p(ctx, 'message'))) };
    });
    this.#route('PATCH', '/webhooks/:app/:token/messages/:message', false, (ctx) => {
      const rec = interactions.webhook(p(ctx, 'app'), p(ctx, 'token'));
      const m = interactions.editMessage(rec, p(ctx, 'message'), this.#json(ctx), ctx.body.files);
      return { status: 200, json: state.messageJson(m) };
    });
    this.#route('DELETE', '/webhooks/:app/:token/messages/:message', false, (ctx) => {
      const rec = interactions.webhook(p(ctx, 'app'), p(ctx, 'token'));
      interactions.deleteMessage(rec, p(ctx, 'message'));
      return { status: 204 };
    });

    // ---- channels, messages, threads ------------------------------------------------------------------
    this.#route('GET', '/channels/:channel', true, (ctx) => {
      const c = core.channel(p(ctx, 'channel'));
      core.requireBotPerms(c, Perm.ViewChannel);
      return { status: 200, json: state.channelJson(c) };
    });
    this.#route('PATCH', '/channels/:channel', true, (ctx) => {
      const c = core.patchChannel(core.channel(p(ctx, 'channel')), this.#json(ctx));
      return { status: 200, json: state.channelJson(c) };
    });
    this.#route('GET', '/channels/:channel/messages', true, (ctx) => {
      const c = core.channel(p(ctx, 'channel'));
      core.requireBotPerms(c, Perm.ViewChannel | Perm.ReadMessageHistory);
      const limitRaw = Number(ctx.query.get('limit') ?? 50);
      if (!Number.isInteger(limitRaw) || limitRaw < 1 || limitRaw > 100) {
        throw invalidFormBody([{ path: ['limit'], code: 'NUMBER_TYPE_MAX', message: 'int value should be between 1 and 100.' }]);
      }
      let list = state.channelMessageList(c.id).filter((m) => !m.ephemeral);
      const before = ctx.query.get('before');
      const after = ctx.query.get('after');
      const around = ctx.query.get('around');
      const big = (s: string): bigint => BigInt(s);
      if (before) list = list.filter((m) => big(m.id) < big(before)).slice(-limitRaw);
      else if (after) list = list.filter((m) => big(m.id) > big(after)).slice(0, limitRaw);
      else if (around) {
        const idx = list.findIndex((m) => big(m.id) >= big(around));
        const start = Math.max(0, (idx < 0 ? list.length : idx) - Math.floor(limitRaw / 2));
        list = list.slice(start, start + limitRaw);
      } else list = list.slice(-limitRaw);
      return { status: 200, json: list.reverse().map((m) => state.messageJson(m)) };
    });
    this.#route('POST', '/channels/:channel/messages', true, (ctx) => {
      const m = core.createMessage({
        channelId: p(ctx, 'channel'),
        authorId: core.opts.botUserId,
        body: this.#json(ctx),
        files: ctx.body.files,
        checkPermissions: true,
        archivedRule: true,
      });
      return { status: 200, json: state.messageJson(m) };
    });
    const channelMessage = (ctx: Ctx) => {
      const c = core.channel(p(ctx, 'channel'));
      const m = state.messages.get(p(ctx, 'message'));
      if (!m || m.channelId !== c.id || m.deleted || m.ephemeral) throw Errors.unknownMessage();
      return { c, m };
    };
    this.#route('GET', '/channels/:channel/messages/:message', true, (ctx) => {
      const { c, m } = channelMessage(ctx);
      core.requireBotPerms(c, Perm.ViewChannel | Perm.ReadMessageHistory);
      return { status: 200, json: state.messageJson(m) };
    });
    this.#route('PATCH', '/channels/:channel/messages/:message', true, (ctx) => {
      const { c, m } = channelMessage(ctx);
      if (m.authorId !== core.opts.botUserId || m.webhookId)
        throw new ApiError(403, 50005, 'Cannot edit a message authored by another user', undefined, 'edit-foreign-message');
      if (c.thread?.archived) throw Errors.archivedThread();
      return { status: 200, json: state.messageJson(core.editMessage(m, this.#json(ctx), ctx.body.files)) };
    });
    this.#route('DELETE', '/channels/:channel/messages/:message', true, (ctx) => {
      const { c, m } = channelMessage(ctx);
      if (m.authorId !== core.opts.botUserId) core.requireBotPerms(c, Perm.ManageMessages);
      core.deleteMessage(m);
      return { status: 204 };
    });
    this.#route('POST', '/channels/:channel/threads', true, (ctx) => {
      const t = core.createThread(p(ctx, 'channel'), this.#json(ctx), null);
      return { status: 201, json: state.channelJson(t) };
    });
    this.#route('POST', '/channels/:channel/messages/:message/threads', true, (ctx) => {
      const t = core.createThread(p(ctx, 'channel'), this.#json(ctx), p(ctx, 'message'));
      return { status: 201, json: state.channelJson(t) };
    });
    this.#route('PUT', '/channels/:channel/thread-members/@me', true, (ctx) => {
      const c = core.channel(p(ctx, 'channel'));
      if (!c.thread) throw Errors.wrongChannelType();
      if (c.thread.archived) throw Errors.archivedThread();
      c.threadMembers.add(core.opts.botUserId);
      return { status: 204 };
    });
    this.#route('GET', '/guilds/:guild/threads/active', true, (ctx) => {
      const g = p(ctx, 'guild');
      if (!state.guilds.has(g)) throw Errors.unknownGuild();
      const threads = state.guildThreads(g).filter((t) => !t.thread?.archived);
      return { status: 200, json: { threads: threads.map((t) => state.channelJson(t)), members: [] } };
    });
    this.#route('GET', '/channels/:channel/threads/archived/public', true, (ctx) => {
      const c = core.channel(p(ctx, 'channel'));
      core.requireBotPerms(c, Perm.ReadMessageHistory);
      const threads = [...state.channels.values()].filter((t) => t.parentId === c.id && t.thread?.archived && t.type !== 12);
      return { status: 200, json: { threads: threads.map((t) => state.channelJson(t)), members: [], has_more: false } };
    });

    // ---- guilds -------------------------------------------------------------------------------------------
    const guild = (ctx: Ctx): string => {
      const g = p(ctx, 'guild');
      if (!state.guilds.has(g)) throw Errors.unknownGuild();
      return g;
    };
    this.#route('GET', '/guilds/:guild', true, (ctx) => {
      const g = guild(ctx);
      const json = Object.fromEntries(Object.entries(state.guildJson(g, { voiceStates: false })).filter(([k]) => !GATEWAY_ONLY_GUILD_KEYS.has(k)));
      return { status: 200, json };
    });
    this.#route('GET', '/guilds/:guild/channels', true, (ctx) => ({ status: 200, json: state.guildChannels(guild(ctx)).map((c) => state.channelJson(c)) }));
    this.#route('GET', '/guilds/:guild/roles', true, (ctx) => ({ status: 200, json: state.guildRoles(guild(ctx)).map((r) => state.roleJson(r)) }));
    this.#route('GET', '/guilds/:guild/members/:user', true, (ctx) => {
      const m = state.member(guild(ctx), p(ctx, 'user'));
      if (!m) throw Errors.unknownMember();
      return { status: 200, json: state.memberJson(m) };
    });
    this.#route('GET', '/guilds/:guild/members', true, (ctx) => {
      // Listing needs the privileged GuildMembers intent enabled for the application (Discord answers 50001).
      if (core.opts.rules.memberListIntent && !core.opts.privilegedIntents.includes('GuildMembers')) throw Errors.missingAccess();
      const limit = Math.min(1000, Math.max(1, Number(ctx.query.get('limit') ?? 1)));
      const after = ctx.query.get('after') ?? '0';
      const list = state
        .guildMembers(guild(ctx))
        .filter((m) => BigInt(m.userId) > BigInt(after))
        .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
        .slice(0, limit);
      return { status: 200, json: list.map((m) => state.memberJson(m)) };
    });
    this.#route('GET', '/guilds/:guild/voice-states/:user', true, (ctx) => {
      const v = state.voiceStates.get(`${guild(ctx)}:${p(ctx, 'user')}`);
      if (!v) throw new ApiError(404, 10065, 'Unknown Voice State', undefined, 'unknown-voice-state');
      return { status: 200, json: state.voiceStateJson(v, true) };
    });
    this.#route('GET', '/users/:user', true, (ctx) => {
      if (!state.users.has(p(ctx, 'user'))) throw new ApiError(404, 10013, 'Unknown User', undefined, 'unknown-user');
      return { status: 200, json: state.userJson(p(ctx, 'user')) };
    });
  }
}
