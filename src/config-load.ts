/** Reading the configuration at start: the environment and the config file it names, checked together. */
import { existsSync, readFileSync } from 'node:fs';
import { problemsOf } from './config-problems.ts';
import { ConfigError, ENV_DEFAULTS, envSchema, parseConfigFile, type Config, type Series } from './config.ts';

export interface LoadConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads the config file; defaults to the file system. Throws ENOENT-style errors when absent. */
  readFile?: (path: string) => string;
}

/**
 * Reads and checks everything once. Every problem, in the environment and in the file, is reported
 * together so that a person fixes them in one round.
 */
export function loadConfig({ env, readFile = (path) => readFileSync(path, 'utf8') }: LoadConfigOptions): Config {
  const problems: string[] = [];
  const envResult = envSchema.safeParse(env);
  if (!envResult.success) problems.push(...problemsOf(envResult.error, env, new Set(['DISCORD_TOKEN'])));

  const configPath = env.SCRIBE_CONFIG && env.SCRIBE_CONFIG.length > 0 ? env.SCRIBE_CONFIG : ENV_DEFAULTS.SCRIBE_CONFIG;
  let series: Series[] | undefined;
  let text: string | undefined;
  try {
    text = readFile(configPath);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    problems.push(
      code === 'ENOENT'
        ? `config file ${configPath} not found; copy config/example.yaml to ${configPath} and edit it, or point SCRIBE_CONFIG at your file`
        : `config file ${configPath} cannot be read (${code === undefined ? 'unknown error' : String(code)}); check its permissions`,
    );
  }
  if (text !== undefined) {
    try {
      series = parseConfigFile(text, configPath);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  const publishTokens: Record<string, string> = {};
  for (const [index, s] of (series ?? []).entries()) {
    if (s.publish?.kind !== 'github') continue;
    const name = s.publish.tokenEnv;
    const token = env[name]?.trim();
    if (token) publishTokens[name] = token;
    else
      problems.push(
        `${configPath}: series[${index}].publish.tokenEnv: the environment has no ${name}; put a GitHub token that may push to ${s.publish.repository} in the environment or .env (never in the YAML)`,
      );
  }
  if (problems.length > 0 || !envResult.success || series === undefined) throw new ConfigError(problems);
  return { env: envResult.data, configPath, series, publishTokens };
}

/**
 * Loads `.env` into process.env when the file exists (existing variables win). Kept apart from
 * loadConfig so that parsing stays free of process-wide effects; the CLI calls this first.
 */
export function loadDotEnv(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}
