/**
 * The store's one failure as seen by callers: the backend did not answer or refused. Commands turn it
 * into "not saved, try again"; nothing was half-written (see the write order in keyv-store.ts).
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** The backend as `scheme://host`, credentials removed, for logs. */
  readonly backend: string;
  constructor(operation: string, backend: string, cause: unknown) {
    super(`the store (${backend}) is unavailable: ${operation} failed: ${describeCause(cause)}`, { cause });
    this.backend = backend;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1) carries the useful part inside.
    const inner = cause instanceof AggregateError ? cause.errors.find((e): e is Error => e instanceof Error) : undefined;
    const code = (cause as { code?: unknown }).code ?? (inner as { code?: unknown } | undefined)?.code;
    const message = cause.message || inner?.message || cause.name;
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(cause);
}

/** `scheme://host[:port]/path` without user or password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
