import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * The one logger. Redaction is a second line of defence: code never passes a token or message text
 * at info, but a config object logged whole must not leak the token either.
 */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const base: LoggerOptions = {
    level: options.level ?? 'info',
    redact: {
      paths: [
        'token',
        '*.token',
        'DISCORD_TOKEN',
        '*.DISCORD_TOKEN',
        'headers.authorization',
        '*.headers.authorization',
        // discord.js API errors carry the request body: message text people wrote.
        'err.requestBody',
        '*.err.requestBody',
      ],
      censor: '[redacted]',
    },
  };
  if (options.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } });
  }
  return pino(base);
}
