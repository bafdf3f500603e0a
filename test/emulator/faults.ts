// REST fault injection: 429s (per-route or global, with the headers @discordjs/rest reads), 5xx, delays.

/** What a route matcher sees: the method and the decoded path under /api/v10 (e.g. `/channels/123/messages`). */
export interface RouteRequest {
  method: string;
  path: string;
}

/**
 * Selects requests: a string matches when `${METHOD} ${path}` contains it (e.g. 'POST /channels/123/messages'
 * or '/messages'), a RegExp is tested against `${METHOD} ${path}`, a function decides by itself.
 */
export type RouteMatcher = string | RegExp | ((req: RouteRequest) => boolean);

export function matches(m: RouteMatcher, req: RouteRequest): boolean {
  const line = `${req.method} ${req.path}`;
  if (typeof m === 'string') return line.includes(m);
  if (m instanceof RegExp) return m.test(line);
  return m(req);
}

export interface RateLimitOptions {
  /** Seconds, sent in Retry-After, X-RateLimit-Reset-After and the body's retry_after. Default 1. */
  retryAfter?: number;
  /** A global rate limit (X-RateLimit-Global, scope 'global') instead of a per-route one. */
  global?: boolean;
}

/** A fault's live counters; remove() cancels what is left of it. */
export interface FaultHandle {
  /** How many requests this fault has affected so far. */
  readonly hits: number;
  /** How many more it will affect (Infinity for unlimited delays). */
  readonly remaining: number;
  remove(): void;
}

export type FaultAction = { kind: 'rate-limit'; retryAfter: number; global: boolean } | { kind: 'fail'; status: number } | { kind: 'delay'; ms: number };

export class FaultRule implements FaultHandle {
  hits = 0;
  constructor(
    readonly matcher: RouteMatcher,
    public remaining: number,
    readonly action: FaultAction,
    private readonly onRemove: (r: FaultRule) => void,
  ) {}

  remove(): void {
    this.remaining = 0;
    this.onRemove(this);
  }
}

export class FaultSet {
  #rules: FaultRule[] = [];

  add(matcher: RouteMatcher, times: number, action: FaultAction): FaultRule {
    const rule = new FaultRule(matcher, times, action, (r) => {
      this.#rules = this.#rules.filter((x) => x !== r);
    });
    this.#rules.push(rule);
    return rule;
  }

  /** The delay to apply (sum of matching delays) and the first matching rejecting fault, consuming one use of each. */
  take(req: RouteRequest): { delayMs: number; reject: FaultAction | null } {
    let delayMs = 0;
    let reject: FaultAction | null = null;
    for (const r of this.#rules) {
      if (r.remaining <= 0 || !matches(r.matcher, req)) continue;
      if (r.action.kind === 'delay') {
        delayMs += r.action.ms;
        r.hits++;
        r.remaining--;
      } else if (!reject) {
        reject = r.action;
        r.hits++;
        r.remaining--;
      }
    }
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return { delayMs, reject };
  }

  clear(): void {
    this.#rules = [];
  }
}
