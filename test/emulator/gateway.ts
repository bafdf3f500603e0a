// The gateway: HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, per-session sequence numbers with a replay
// buffer for RESUME, intent filtering, shards, and the gateway faults (close codes, op 7, op 9, no ACKs).
import { Waiters } from './waiters.ts';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { Json, JsonObject } from './model.ts';
import type { EmulatorState } from './state.ts';
import { isJsonObject } from './state.ts';
import { shardOf } from './snowflake.ts';
import { PRIVILEGED_INTENT_BITS, privilegedMask, type DiscordRules, type PrivilegedIntent } from './rules.ts';

export const Intents = {
  Guilds: 1,
  GuildMembers: 2,
  GuildModeration: 4,
  GuildVoiceStates: 128,
  GuildPresences: 256,
  GuildMessages: 512,
  GuildMessageReactions: 1024,
  DirectMessages: 4096,
  MessageContent: 32768,
} as const;

/** The intent a dispatch needs (0: always sent). */
export function intentOf(t: string): number {
  if (t.startsWith('THREAD_') || t.startsWith('CHANNEL_') || t.startsWith('GUILD_ROLE_')) return Intents.Guilds;
  if (t === 'GUILD_UPDATE' || t === 'GUILD_DELETE') return Intents.Guilds;
  if (t.startsWith('GUILD_MEMBER_') && t !== 'GUILD_MEMBERS_CHUNK') return Intents.GuildMembers;
  if (t === 'VOICE_STATE_UPDATE') return Intents.GuildVoiceStates;
  if (t.startsWith('MESSAGE_REACTION_')) return Intents.GuildMessageReactions;
  if (t.startsWith('MESSAGE_')) return Intents.GuildMessages;
  if (t === 'PRESENCE_UPDATE') return Intents.GuildPresences;
  // READY, RESUMED, GUILD_CREATE, INTERACTION_CREATE, GUILD_MEMBERS_CHUNK, …
  return 0;
}

/** Close codes after which Discord does not let the session resume. */
const SESSION_ENDING_CODES = new Set([1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

export interface GatewayLogEntry {
  /** Incremented per websocket connection. */
  connectionId: number;
  sessionId: string | null;
  shard: [number, number] | null;
  /** in: client → emulator; out: emulator → client; close: the socket closed. */
  dir: 'in' | 'out' | 'close';
  op: number | null;
  t: string | null;
  s: number | null;
  d: Json | undefined;
  /** Close code (dir 'close'), and who closed. */
  code?: number;
  by?: 'client' | 'server';
  /** performance.now() */
  at: number;
}

export interface SessionInfo {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  connected: boolean;
  /** How many times the session was resumed. */
  resumes: number;
}

interface BufferedDispatch {
  s: number;
  t: string;
  d: Json;
}

class Session {
  seq = 0;
  readonly buffer: BufferedDispatch[] = [];
  conn: Connection | null = null;
  detachedAt = 0;
  alive = true;
  resumes = 0;
  readonly createdAt = performance.now();
  constructor(
    readonly id: string,
    readonly shard: [number, number],
    readonly intents: number,
  ) {}
}

class Connection {
  session: Session | null = null;
  acks = true;
  closedByServer = false;
  constructor(
    readonly id: number,
    readonly ws: WebSocket,
  ) {}
}

export interface GatewayOptions {
  state: EmulatorState;
  token: string;
  heartbeatIntervalMs: number;
  /** How many dispatches each session keeps for RESUME. */
  replayBufferSize: number;
  /** How long a disconnected session stays resumable. */
  resumeWindowMs: number;
  /** The URL put in READY's resume_gateway_url (computed once the server listens). */
  resumeUrl: () => string;
  rules: DiscordRules;
  /** Privileged intents the application has enabled. */
  privilegedIntents: readonly PrivilegedIntent[];
  /** session_start_limit.max_concurrency. */
  maxConcurrency: number;
}

/** Discord's window for max_concurrency IDENTIFYs. */
const IDENTIFY_WINDOW_MS = 5000;

export class GatewayServer {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();
  readonly #sessions = new Map<string, Session>();
  readonly #log: GatewayLogEntry[] = [];
  readonly #logWaiters = new Waiters();
  #nextConnectionId = 1;
  /** Last accepted IDENTIFY per rate-limit key (shard_id % max_concurrency). */
  readonly #identifiedAt = new Map<number, number>();
  heartbeatIntervalMs: number;

  constructor(readonly opts: GatewayOptions) {
    this.heartbeatIntervalMs = opts.heartbeatIntervalMs;
  }

  /** Takes over websocket upgrades on `/gateway` from the HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/gateway' && path !== '/gateway/') {
        socket.destroy();
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws));
    });
  }

  close(): void {
    for (const c of this.#connections) c.ws.terminate();
    this.#connections.clear();
    this.#wss.close();
  }

  // ---- inspection -----------------------------------------------------------------------------

  log(): readonly GatewayLogEntry[] {
    return this.#log;
  }

  forgetLog(): void {
    this.#log.length = 0;
  }

  sessions(): SessionInfo[] {
    this.#expireDetached();
    return [...this.#sessions.values()]
      .filter((s) => s.alive)
      .map((s) => ({
        id: s.id,
        shard: s.shard,
        intents: s.intents,
        seq: s.seq,
        connected: s.conn !== null,
        resumes: s.resumes,
      }));
  }

  /** Resolves with the first log entry (past or future) matching the predicate. */
  waitForLog(pred: (e: GatewayLogEntry) => boolean, timeoutMs: number): Promise<GatewayLogEntry> {
    return this.#logWaiters.first(() => this.#log.find(pred), timeoutMs, `waitForGateway: no matching gateway event within ${timeoutMs} ms`);
  }

  // ---- dispatching ----------------------------------------------------------------------------

  /** Live or resumable sessions whose shard owns the guild. */
  #sessionsForGuild(guildId: string): Session[] {
    this.#expireDetached();
    return [...this.#sessions.values()].filter((s) => s.alive && shardOf(guildId, s.shard[1]) === s.shard[0]);
  }

  /**
   * Sends a guild event to every session owning the guild's shard whose intents allow it.
   * `perSession` may adapt the payload per session (e.g. strip message content without the MessageContent intent).
   */
  dispatchGuild(guildId: string, t: string, d: JsonObject, perSession?: (d: JsonObject, intents: number) => JsonObject): number {
    let sent = 0;
    const intent = intentOf(t);
    for (const s of this.#sessionsForGuild(guildId)) {
      if (intent !== 0 && (s.intents & intent) === 0) continue;
      this.#dispatch(s, t, perSession ? perSession(d, s.intents) : d);
      sent++;
    }
    return sent;
  }

  /** Interactions go to one session of the owning shard (the newest connected one, else a resumable one). */
  dispatchInteraction(guildId: string, d: JsonObject): boolean {
    const candidates = this.#sessionsForGuild(guildId).sort((a, b) => b.createdAt - a.createdAt);
    const target = candidates.find((s) => s.conn !== null) ?? candidates[0];
    if (!target) return false;
    this.#dispatch(target, 'INTERACTION_CREATE', d);
    return true;
  }

  hasSessionFor(guildId: string): boolean {
    return this.#sessionsForGuild(guildId).length > 0;
  }

  #dispatch(session: Session, t: string, d: Json): void {
    session.seq += 1;
    const entry: BufferedDispatch = { s: session.seq, t, d };
    session.buffer.push(entry);
    if (session.buffer.length > this.opts.replayBufferSize) session.buffer.shift();
    if (session.conn) this.#sendDispatch(session.conn, entry);
  }

  #sendDispatch(conn: Connection, e: BufferedDispatch): void {
    this.#send(conn, { op: 0, t: e.t, s: e.s, d: e.d });
  }

  #send(conn: Connection, payload: { op: number; d: Json; t?: string | null; s?: number | null }): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    const full = { t: null, s: null, ...payload };
    this.#record({
      connectionId: conn.id,
      sessionId: conn.session?.id ?? null,
      shard: conn.session?.shard ?? null,
      dir: 'out',
      op: full.op,
      t: full.t,
      s: full.s,
      d: full.d,
      at: performance.now(),
    });
    conn.ws.send(JSON.stringify(full));
  }

  #record(e: GatewayLogEntry): void {
    this.#log.push(e);
    this.#logWaiters.notify();
  }

  #expireDetached(): void {
    const now = performance.now();
    for (const s of this.#sessions.values()) {
      if (s.alive && !s.conn && now - s.detachedAt > this.opts.resumeWindowMs) this.#endSession(s);
    }
  }

  #endSession(s: Session): void {
    s.alive = false;
    this.#sessions.delete(s.id);
  }

  // ---- faults -----------------------------------------------------------------------------------

  #targets(shard?: number): Connection[] {
    return [...this.#connections].filter((c) => c.ws.readyState === WebSocket.OPEN && (shard === undefined || c.session?.shard[0] === shard));
  }

  /** Closes the matching connections with `code`. Resumable codes (4000, …) keep the session for RESUME. */
  closeConnections(code: number, shard?: number): number {
    const targets = this.#targets(shard);
    for (const c of targets) {
      c.closedByServer = true;
      const s = c.session;
      if (s) {
        // Detach now: anything dispatched from here on is buffered and must come back through RESUME.
        s.conn = null;
        s.detachedAt = performance.now();
        if (SESSION_ENDING_CODES.has(code)) this.#endSession(s);
      }
      c.ws.close(code, 'closed by the emulator');
    }
    return targets.length;
  }

  sendReconnect(shard?: number): number {
    const targets = this.#targets(shard);
    for (const c of targets) this.#send(c, { op: 7, d: null });
    return targets.length;
  }

  sendInvalidSession(resumable: boolean, shard?: number): number {
    const targets = this.#targets(shard);
    for (const c of targets) {
      if (!resumable && c.session) {
        this.#endSession(c.session);
        c.session = null;
      }
      this.#send(c, { op: 9, d: resumable });
    }
    return targets.length;
  }

  /** Stops answering heartbeats on the current connections (new connections are ACKed again). */
  stopHeartbeatAcks(shard?: number): number {
    const targets = this.#targets(shard);
    for (const c of targets) c.acks = false;
    return targets.length;
  }

  resumeHeartbeatAcks(): void {
    for (const c of this.#connections) c.acks = true;
  }

  /** Asks clients to heartbeat now (server op 1). */
  requestHeartbeat(shard?: number): void {
    for (const c of this.#targets(shard)) this.#send(c, { op: 1, d: null });
  }

  // ---- protocol -----------------------------------------------------------------------------------

  #onConnection(ws: WebSocket): void {
    const conn = new Connection(this.#nextConnectionId++, ws);
    this.#connections.add(conn);
    ws.on('message', (data: RawData, isBinary: boolean) => this.#onMessage(conn, data, isBinary));
    ws.on('close', (code: number) => this.#onClose(conn, code));
    ws.on('error', () => undefined);
    this.#send(conn, { op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } });
  }

  #onClose(conn: Connection, code: number): void {
    this.#connections.delete(conn);
    this.#record({
      connectionId: conn.id,
      sessionId: conn.session?.id ?? null,
      shard: conn.session?.shard ?? null,
      dir: 'close',
      op: null,
      t: null,
      s: null,
      d: undefined,
      code,
      by: conn.closedByServer ? 'server' : 'client',
      at: performance.now(),
    });
    const s = conn.session;
    if (!s || s.conn !== conn) return;
    s.conn = null;
    s.detachedAt = performance.now();
    // A client closing with 1000/1001 ends its session (discord.js closes with 4200 when it means to resume).
    if (!conn.closedByServer && (code === 1000 || code === 1001)) this.#endSession(s);
  }

  #onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      if (isBinary) throw new Error('binary');
      payload = JSON.parse(data.toString());
    } catch {
      conn.closedByServer = true;
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isJsonObject(payload) || typeof payload['op'] !== 'number') {
      conn.closedByServer = true;
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const op = payload['op'];
    const d = payload['d'];
    this.#record({
      connectionId: conn.id,
      sessionId: conn.session?.id ?? null,
      shard: conn.session?.shard ?? null,
      dir: 'in',
      op,
      t: null,
      s: null,
      d,
      at: performance.now(),
    });
    switch (op) {
      case 1:
        if (conn.acks) this.#send(conn, { op: 11, d: null });
        return;
      case 2:
        return this.#identify(conn, d);
      case 6:
        return this.#resume(conn, d);
      case 8:
        return this.#requestMembers(conn, d);
      case 3: // presence update
      case 4: // voice state update (the bot joining voice): accepted, not emulated
        return;
      default:
        conn.closedByServer = true;
        conn.ws.close(4001, 'Unknown opcode.');
    }
  }

  #tokenOk(token: Json | undefined): boolean {
    return token === this.opts.token || token === `Bot ${this.opts.token}`;
  }

  #identify(conn: Connection, d: Json | undefined): void {
    const fail = (code: number, reason: string): void => {
      conn.closedByServer = true;
      conn.ws.close(code, reason);
    };
    if (conn.session) return fail(4005, 'Already authenticated.');
    if (!isJsonObject(d)) return fail(4002, 'Error while decoding payload.');
    if (!this.#tokenOk(d['token'])) return fail(4004, 'Authentication failed.');
    const intents = d['intents'];
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || intents >= 1 << 26) {
      return fail(4013, 'Invalid intent(s).');
    }
    const rawShard = d['shard'];
    let shard: [number, number] = [0, 1];
    if (rawShard !== undefined) {
      const [id, count] = Array.isArray(rawShard) ? rawShard : [];
      if (typeof id !== 'number' || typeof count !== 'number' || count < 1 || id < 0 || id >= count) {
        return fail(4010, 'Invalid shard.');
      }
      shard = [id, count];
    }
    const { rules } = this.opts;
    const privileged = Object.values(PRIVILEGED_INTENT_BITS).reduce((a, b) => a | b, 0);
    if (rules.privilegedIntents && (intents & privileged & ~privilegedMask(this.opts.privilegedIntents)) !== 0) {
      return fail(4014, 'Disallowed intent(s).');
    }
    if (rules.identifyConcurrency) {
      const key = shard[0] % this.opts.maxConcurrency;
      const last = this.#identifiedAt.get(key);
      const now = performance.now();
      if (last !== undefined && now - last < IDENTIFY_WINDOW_MS) {
        this.#send(conn, { op: 9, d: false });
        return;
      }
      this.#identifiedAt.set(key, now);
    }
    const largeThreshold = typeof d['large_threshold'] === 'number' ? d['large_threshold'] : 50;
    const session = new Session(randomBytes(16).toString('hex'), shard, intents);
    this.#sessions.set(session.id, session);
    session.conn = conn;
    conn.session = session;
    const { state } = this.opts;
    const guildIds = [...state.guilds.keys()].filter((g) => shardOf(g, shard[1]) === shard[0]);
    this.#dispatch(session, 'READY', {
      v: 10,
      user: { ...state.userJson(state.botUserId), bot: true, verified: true, mfa_enabled: false },
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.opts.resumeUrl(),
      shard,
      application: { id: state.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      auth: {},
      _trace: ['["scribe-emulator",{"micros":0}]'],
    });
    for (const id of guildIds) {
      const json = state.guildJson(id, { voiceStates: (intents & Intents.GuildVoiceStates) !== 0 });
      const memberCount = state.guildMembers(id).length;
      json['large'] = memberCount >= largeThreshold;
      if (rules.guildCreateMembers && (intents & Intents.GuildPresences) === 0) {
        // Without presences Discord lists only the bot and the members in voice; member_count stays the real size.
        const inVoice = new Set(state.guildVoiceStates(id).map((v) => v.userId));
        json['members'] = state
          .guildMembers(id)
          .filter((m) => m.userId === state.botUserId || inVoice.has(m.userId))
          .map((m) => state.memberJson(m));
      }
      this.#dispatch(session, 'GUILD_CREATE', json);
    }
  }

  #resume(conn: Connection, d: Json | undefined): void {
    if (!isJsonObject(d) || !this.#tokenOk(d['token'])) {
      conn.closedByServer = true;
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    this.#expireDetached();
    const session = typeof d['session_id'] === 'string' ? this.#sessions.get(d['session_id']) : undefined;
    const seq = typeof d['seq'] === 'number' ? d['seq'] : -1;
    const oldest = session?.buffer[0]?.s ?? 1;
    if (!session || !session.alive || seq < oldest - 1 || seq > session.seq) {
      if (session) this.#endSession(session);
      this.#send(conn, { op: 9, d: false });
      return;
    }
    if (session.conn && session.conn !== conn) session.conn.session = null;
    session.conn = conn;
    conn.session = session;
    session.resumes += 1;
    for (const e of session.buffer) if (e.s > seq) this.#sendDispatch(conn, e);
    this.#dispatch(session, 'RESUMED', { _trace: ['["scribe-emulator",{"micros":0}]'] });
  }

  #requestMembers(conn: Connection, d: Json | undefined): void {
    const session = conn.session;
    if (!session || !isJsonObject(d)) return;
    const { state } = this.opts;
    const guildIds = Array.isArray(d['guild_id']) ? d['guild_id'] : [d['guild_id']];
    // The whole list (no user_ids, an empty query) needs GuildMembers; Discord then answers nothing
    // (discord-api-docs #5855), so the client's fetch times out.
    const byIds = d['user_ids'] !== undefined && d['user_ids'] !== null;
    const byQuery = typeof d['query'] === 'string' && d['query'].length > 0;
    if (this.opts.rules.memberListIntent && !byIds && !byQuery && (session.intents & Intents.GuildMembers) === 0) return;
    for (const gid of guildIds) {
      if (typeof gid !== 'string' || !state.guilds.has(gid)) continue;
      let members = state.guildMembers(gid);
      const userIds = d['user_ids'];
      const wanted = Array.isArray(userIds) ? userIds : typeof userIds === 'string' ? [userIds] : null;
      if (wanted) members = members.filter((m) => wanted.includes(m.userId));
      const query = typeof d['query'] === 'string' ? d['query'].toLowerCase() : '';
      if (query) members = members.filter((m) => (state.users.get(m.userId)?.username ?? '').toLowerCase().startsWith(query));
      const limit = typeof d['limit'] === 'number' && d['limit'] > 0 ? d['limit'] : Infinity;
      members = members.slice(0, limit);
      const chunk: JsonObject = {
        guild_id: gid,
        members: members.map((m) => state.memberJson(m)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: wanted ? wanted.filter((u) => !members.some((m) => m.userId === u)) : [],
      };
      if (typeof d['nonce'] === 'string') chunk['nonce'] = d['nonce'];
      this.#dispatch(session, 'GUILD_MEMBERS_CHUNK', chunk);
    }
  }
}
