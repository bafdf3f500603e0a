import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

const CENSOR = '[redacted]';

/** An interaction's token in a REST path: `/interactions/<id>/<token>/…`, `/webhooks/<application id>/<token>/…`. */
const TOKEN_IN_PATH = /(\/(?:interactions|webhooks)\/\d+\/)[^/?#\s]+/g;

/** A serialized error without secrets: request bodies censored, interaction tokens cut out of every string. */
function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(TOKEN_IN_PATH, `$1${CENSOR}`);
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => scrub(item, depth + 1));
  const clean: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // discord.js REST errors carry the request body: message text people wrote.
    clean[key] = key === 'requestBody' ? CENSOR : scrub(item, depth + 1);
  }
  return clean;
}

/**
 * The one logger. Code never passes a token or message text at info; what is kept out here anyway:
 * - errors (the `err` key, the only object Scribe logs) lose discord.js's request body and the
 *   interaction token in a failed request's URL, their causes included;
 * - a token or config logged whole by mistake is censored at the paths it would have.
 * Only exact paths are redacted: pino's wildcard paths (`*.token`) walk every line logged, about 4 µs
 * and 8 KB of garbage each, the largest allocation site of a burst in Scribe's sampled allocations.
 */
export function createLogger(options: { level?: string; pretty?: boolean; destination?: DestinationStream } = {}): Logger {
  const base: LoggerOptions = {
    level: options.level ?? 'info',
    serializers: { err: (error: unknown) => scrub(stdSerializers.err(error as Error), 0) },
    redact: {
      paths: ['token', 'DISCORD_TOKEN', 'headers.authorization', 'env.DISCORD_TOKEN', 'config.env.DISCORD_TOKEN'],
      censor: CENSOR,
    },
  };
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}
