/**
 * The environment: one zod schema, part of the configuration's (config.ts re-exports it). Sharding's
 * keys are in config-shards.ts; errors name the variable and what to write.
 */
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { problemsOf } from './config-problems.ts';
import { checkShardEnv, shardEnvFields } from './config-shards.ts';

export const ENV_DEFAULTS = {
  DISCORD_API_URL: 'https://discord.com/api',
  STORE_URL: 'sqlite://data/scribe.sqlite',
  LOG_LEVEL: 'info',
  SCRIBE_CONFIG: 'config/scribe.yaml',
  GITHUB_API_URL: 'https://api.github.com',
  PUBLISH_DIR: 'data/publish',
  STORE_NAMESPACE: 'scribe',
} as const;

function isHttpUrl(value: string): boolean {
  try {
    const { protocol, hostname } = new URL(value);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
  } catch {
    return false;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const envSchema = z
  .object({
    // When it is missing, the message comes from EXPECTED below, as for every other key.
    DISCORD_TOKEN: z.string().trim().min(1, 'is empty; put the bot token from the Discord developer portal in the environment or in .env'),
    DISCORD_API_URL: z
      .string()
      .superRefine((value, ctx) => {
        if (!isHttpUrl(value)) ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL such as https://discord.com/api' });
      })
      .default(ENV_DEFAULTS.DISCORD_API_URL),
    STORE_URL: z
      .string()
      .regex(
        /^(sqlite|redis|rediss|postgres|postgresql):\/\/./,
        'must start with sqlite://, redis://, rediss:// or postgres://, e.g. sqlite://data/scribe.sqlite',
      )
      .default(ENV_DEFAULTS.STORE_URL),
    STORE_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9]+$/i, 'must be letters and digits only, e.g. scribe (it separates Scribes sharing one database)')
      .default(ENV_DEFAULTS.STORE_NAMESPACE),
    LOG_LEVEL: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).default(ENV_DEFAULTS.LOG_LEVEL),
    SCRIBE_CONFIG: z.string().min(1, 'must be a file path').default(ENV_DEFAULTS.SCRIBE_CONFIG),
    GITHUB_API_URL: z
      .string()
      .superRefine((value, ctx) => {
        if (!isHttpUrl(value))
          ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL such as https://api.github.com (GitHub Enterprise: https://HOST/api/v3)' });
      })
      .default(ENV_DEFAULTS.GITHUB_API_URL),
    // The working clones of `kind: git` remotes, one per remote.
    PUBLISH_DIR: z.string().min(1, 'must be a directory path').default(ENV_DEFAULTS.PUBLISH_DIR),
    ...shardEnvFields,
  })
  .superRefine(checkShardEnv);

export type Env = z.output<typeof envSchema>;
export type LogLevel = Env['LOG_LEVEL'];

/** Parses the environment alone (the config file's path comes from it). */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): Env {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError(problemsOf(result.error, env, new Set(['DISCORD_TOKEN'])), 'Scribe cannot start: the environment has problems');
  return result.data;
}
