/**
 * Credentials out of every text Scribe logs or shows: a remote URL may carry `user:token@` (from the
 * environment or a credential helper's answer echoed by git), and a token may be quoted in an error.
 */

/** Replaces the user-info part of every URL in `text` (`https://user:token@host` -> `https://***@host`) and each secret given. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, '$1***@');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

/** An error whose message (and its causes', flattened into it) has passed through `redact`; no stack of the original leaks. */
export function redactedError(error: unknown, secrets: readonly string[] = []): Error {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  const redacted = new Error(redact(parts.join(': caused by: '), secrets));
  redacted.name = error instanceof Error ? error.name : 'Error';
  return redacted;
}
