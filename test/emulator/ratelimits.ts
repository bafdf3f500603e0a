// Discord's REST rate limits: per-route buckets keyed by the top-level resource (channel, guild, webhook),
// the bot's global limit, and the headers @discordjs/rest reads on every answer.
import { createHash } from 'node:crypto';
import type { JsonObject } from './model.ts';

export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimitSettings {
  /** Posting messages into one channel (null: the route's default). Observed on Discord: 5 per ~5 s. */
  channelMessages: WindowLimit | null;
  /** Authenticated requests a second across routes (null: none). Discord: 50; interaction endpoints exempt. */
  globalPerSecond: number | null;
  /** Routes without a known limit (the emulator's choice, not a number Discord publishes). */
  routeDefault: WindowLimit;
}

export type RateLimitDecision =
  { ok: true; headers: Record<string, string> } | { ok: false; global: boolean; retryAfter: number; headers: Record<string, string>; body: JsonObject };

interface Window {
  resetAt: number;
  used: number;
}

/** The resource a route's limit is counted per (Discord's "top-level resources"). */
function majorOf(params: Record<string, string>): string {
  if (params['channel']) return `c${params['channel']}`;
  if (params['guild']) return `g${params['guild']}`;
  if (params['token']) return `w${params['app'] ?? ''}:${params['token']}`;
  if (params['id']) return `i${params['id']}`;
  return '-';
}

export class RateLimiter {
  readonly #windows = new Map<string, Window>();
  #global: Window = { resetAt: 0, used: 0 };

  constructor(readonly settings: RateLimitSettings) {}

  #bucketId(routeKey: string): string {
    return createHash('sha1').update(routeKey).digest('hex').slice(0, 16);
  }

  /**
   * Counts one request of `routeKey` ('POST /channels/:channel/messages') and answers whether it may go
   * through, with the headers to send either way. `exemptGlobal`: interaction callbacks and webhooks.
   */
  take(routeKey: string, params: Record<string, string>, exemptGlobal: boolean, now = Date.now()): RateLimitDecision {
    const limit = routeKey === 'POST /channels/:channel/messages' && this.settings.channelMessages ? this.settings.channelMessages : this.settings.routeDefault;
    const bucket = this.#bucketId(routeKey);
    const key = `${bucket}:${majorOf(params)}`;
    let w = this.#windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { resetAt: now + limit.windowMs, used: 0 };
      this.#windows.set(key, w);
    }
    const resetAfter = (w.resetAt - now) / 1000;
    const routeHeaders = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (w.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': bucket,
    });
    if (w.used >= limit.limit) {
      const headers = { ...routeHeaders(0), 'retry-after': String(Math.ceil(resetAfter)), 'x-ratelimit-scope': 'user' };
      return { ok: false, global: false, retryAfter: resetAfter, headers, body: tooMany(resetAfter, false) };
    }
    if (!exemptGlobal && this.settings.globalPerSecond !== null) {
      if (now >= this.#global.resetAt) this.#global = { resetAt: now + 1000, used: 0 };
      if (this.#global.used >= this.settings.globalPerSecond) {
        const after = (this.#global.resetAt - now) / 1000;
        const headers = { 'retry-after': String(Math.ceil(after)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' };
        return { ok: false, global: true, retryAfter: after, headers, body: tooMany(after, true) };
      }
      this.#global.used += 1;
    }
    w.used += 1;
    return { ok: true, headers: routeHeaders(limit.limit - w.used) };
  }
}

function tooMany(retryAfter: number, global: boolean): JsonObject {
  return { message: 'You are being rate limited.', retry_after: Number(retryAfter.toFixed(3)), global };
}
