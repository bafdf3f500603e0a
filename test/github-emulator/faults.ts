// Fault injection: the next N requests to a route (or to any route) answer a 5xx, a primary rate limit or a
// secondary rate limit, either instead of being applied or after being applied (the answer is lost).

/**
 * A route as GitHub's REST docs write it, method first: e.g. 'PUT /repos/{owner}/{repo}/contents/{path}'.
 * Undefined matches every route.
 */
export type RouteName = string;

export type FaultAction =
  | { readonly kind: 'fail'; readonly status: number; readonly afterApplying: boolean }
  | { readonly kind: 'rate-limit'; readonly resetInSeconds: number; readonly status: 403 | 429 }
  | { readonly kind: 'secondary-rate-limit'; readonly retryAfter: number | undefined; readonly status: 403 | 429 };

/** A fault's live counters; remove() cancels what is left of it. */
export interface FaultHandle {
  /** Requests this fault has answered so far. */
  readonly hits: number;
  /** Requests it will still answer (Infinity for a permanent one). */
  readonly remaining: number;
  remove(): void;
}

class FaultRule implements FaultHandle {
  hits = 0;
  constructor(
    readonly route: RouteName | undefined,
    public remaining: number,
    readonly action: FaultAction,
    private readonly onRemove: (rule: FaultRule) => void,
  ) {}

  remove(): void {
    this.remaining = 0;
    this.onRemove(this);
  }
}

export class FaultSet {
  #rules: FaultRule[] = [];

  add(route: RouteName | undefined, times: number, action: FaultAction): FaultHandle {
    const rule = new FaultRule(route, times, action, (r) => {
      this.#rules = this.#rules.filter((x) => x !== r);
    });
    this.#rules.push(rule);
    return rule;
  }

  /** The fault that answers this request, if any; counts it. */
  take(route: RouteName): FaultAction | undefined {
    const rule = this.#rules.find((r) => r.remaining > 0 && (r.route === undefined || r.route === route));
    if (rule === undefined) return undefined;
    rule.hits += 1;
    rule.remaining -= 1;
    if (rule.remaining <= 0) rule.remove();
    return rule.action;
  }

  clear(): void {
    for (const rule of [...this.#rules]) rule.remove();
  }
}
