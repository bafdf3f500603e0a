/**
 * The configuration: one zod schema for the YAML file (the meeting series) and one for the environment.
 * Both are the single source of their types. Errors come out as one `ConfigError` whose message names
 * every bad key by its path and says what to write instead, so start-up can print it to a person as is.
 */
import { existsSync, readFileSync } from 'node:fs';
import nodeCron from 'node-cron';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { formatPath } from './field-path.ts';

/** Placeholders each template may use; anything else in braces is a typo and is refused at load time. */
export const TEMPLATE_PLACEHOLDERS = {
  threadName: ['yyyy', 'mm', 'dd'],
  notesPath: ['yyyy', 'mm', 'dd'],
  location: ['voiceChannelName'],
} as const;

/** Defaults of the optional series keys (documented in config/example.yaml). */
export const SERIES_DEFAULTS = {
  maintainerRoles: [] as string[],
  minPresenceMinutes: 5,
} as const;

export const ENV_DEFAULTS = {
  DISCORD_API_URL: 'https://discord.com/api',
  STORE_URL: 'sqlite://data/scribe.sqlite',
  LOG_LEVEL: 'info',
  SCRIBE_CONFIG: 'config/scribe.yaml',
} as const;

/** The notes layouts a series may write (issue 22): one block per person, or agenda, discussion and decisions. */
export const NOTES_TEMPLATES = ['activities', 'discussion'] as const;
/** Keys that only a series with `template: discussion` uses. */
const DISCUSSION_KEYS = ['title', 'tags', 'agendaOpenToAll'] as const;

/** Discord caps thread names at 100 characters. */
const THREAD_NAME_LIMIT = 100;

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], heading = 'Scribe cannot start: the configuration has problems') {
    super(`${heading}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------------------------------
// Field schemas. Each carries the message a person needs: what is wrong and what to write instead.

/**
 * YAML is parsed with integers as bigint so that an unquoted Discord id (larger than 2^53) keeps every
 * digit; ids are then turned into strings and counts into numbers.
 */
const snowflake = z
  .union([z.string(), z.bigint().transform((n) => n.toString())])
  .pipe(z.string().regex(/^\d{17,20}$/, 'is not a Discord id; copy it with Developer Mode (17 to 20 digits), e.g. "100000000000000001"'));

const wholeMinutes = (min: number, max: number) =>
  z
    .union([z.number(), z.bigint().transform((n) => Number(n))])
    .pipe(z.int('must be a whole number of minutes').min(min, `must be at least ${min} (minutes)`).max(max, `must be at most ${max} (minutes)`));

export function isIanaTimeZone(name: string): boolean {
  // Offsets such as "+01:00" are accepted by newer ICU builds but carry no daylight-saving rules.
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol, hostname } = new URL(value);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
  } catch {
    return false;
  }
}

function closestTimeZone(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: { zone: string; distance: number } | undefined;
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const distance = editDistance(lower, zone.toLowerCase());
    if (!best || distance < best.distance) best = { zone, distance };
  }
  return best && best.distance <= 3 ? best.zone : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const timeZone = z.string().superRefine((value, ctx) => {
  if (isIanaTimeZone(value)) return;
  const suggestion = closestTimeZone(value);
  ctx.addIssue({
    code: 'custom',
    message: `${JSON.stringify(value)} is not an IANA time zone; ` + (suggestion ? `did you mean ${suggestion}? ` : '') + 'use a name such as Europe/Berlin',
  });
});

const cronExpression = z.string().superRefine((value, ctx) => {
  if (nodeCron.validate(value)) return;
  const details = nodeCron.validateDetailed(value).errors.map((e) => e.message);
  ctx.addIssue({
    code: 'custom',
    message:
      `${JSON.stringify(value)} is not a cron expression` +
      (details.length > 0 ? ` (${details.join('; ')})` : '') +
      '; write five fields "minute hour day-of-month month day-of-week", e.g. "0 9 * * 6" for Saturdays at 09:00',
  });
});

function template(key: keyof typeof TEMPLATE_PLACEHOLDERS) {
  const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[key];
  return z
    .string()
    .min(1, 'must not be empty')
    .superRefine((value, ctx) => {
      for (const match of value.matchAll(/\{([^{}]*)\}/g)) {
        const name = match[1] ?? '';
        if (!allowed.includes(name)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown placeholder {${name}}; the placeholders here are ${allowed.map((a) => `{${a}}`).join(' ')}`,
          });
        }
      }
    });
}

const seriesSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and hyphens, e.g. "hackathon"')
      // It is part of the /update form's id, which Discord caps at 100 characters.
      .max(32, 'must be at most 32 characters'),
    guild: snowflake,
    voiceChannel: snowflake,
    textChannel: snowflake,
    timeZone,
    open: cronExpression,
    durationMinutes: wholeMinutes(1, 24 * 60),
    remindBeforeEndMinutes: wholeMinutes(1, 24 * 60).optional(),
    threadName: template('threadName'),
    teams: z.array(z.string().min(1, 'a team name must not be empty')).min(1, 'needs at least one team, e.g. [community]'),
    location: template('location'),
    maintainerRoles: z.array(snowflake).default(() => [...SERIES_DEFAULTS.maintainerRoles]),
    minPresenceMinutes: wholeMinutes(0, 24 * 60).default(SERIES_DEFAULTS.minPresenceMinutes),
    template: z.enum(NOTES_TEMPLATES, `must be ${NOTES_TEMPLATES.join(' or ')}`).default('activities'),
    // The topic of a discussion file's title ("VMM WG" -> "VMM WG, June 14, 2023").
    title: z
      .string()
      .trim()
      .min(1, 'must not be empty; write the topic of the notes\' title, e.g. "VMM WG"')
      .max(80, 'must be at most 80 characters')
      .regex(/^[^\n\r]*$/, 'must be one line')
      .optional(),
    tags: z
      .array(
        z
          .string()
          .trim()
          .min(1, 'a tag must not be empty')
          .regex(/^[^,\n\r]*$/, 'a tag must not contain a comma or a line break (the notes write the tags as one comma-separated line)'),
      )
      .optional(),
    agendaOpenToAll: z.boolean('must be true or false').optional(),
    notesPath: template('notesPath').superRefine((path, ctx) => {
      if (path.startsWith('/') || path.split('/').includes('..') || !path.endsWith('.md')) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a relative path inside the notes repository ending in .md, e.g. "hackathons/{yyyy}/{yyyy}-{mm}-{dd}.md"',
        });
      }
    }),
  })
  .superRefine((s, ctx) => {
    if (s.remindBeforeEndMinutes !== undefined && s.remindBeforeEndMinutes >= s.durationMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['remindBeforeEndMinutes'],
        message: `must be less than durationMinutes (${s.durationMinutes}), or left out for no reminder`,
      });
    }
    if (s.template === 'discussion' && s.title === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['title'],
        message: 'missing; template: discussion needs the topic of the notes\' title, e.g. title: "VMM WG" (the notes say "VMM WG, June 14, 2023")',
      });
    }
    if (s.template === 'activities') {
      for (const key of DISCUSSION_KEYS) {
        if (s[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'is only used with template: discussion; remove it or set template: discussion' });
      }
    }
    // The longest expansion: {yyyy} is 4 characters, {mm} and {dd} 2, so they never grow the name.
    if (s.threadName.length > THREAD_NAME_LIMIT) {
      ctx.addIssue({
        code: 'custom',
        path: ['threadName'],
        message: `is longer than Discord's ${THREAD_NAME_LIMIT}-character limit for thread names; shorten it`,
      });
    }
  });

export const configFileSchema = z
  .strictObject({
    series: z.array(seriesSchema).min(1, 'lists no meeting series; add at least one (see config/example.yaml)'),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.series.forEach((s, index) => {
      const first = seen.get(s.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['series', index, 'id'],
          message: `"${s.id}" is already the id of series[${first}]; give each series its own id`,
        });
      } else {
        seen.set(s.id, index);
      }
    });
  });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const envSchema = z.object({
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
  LOG_LEVEL: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).default(ENV_DEFAULTS.LOG_LEVEL),
  SCRIBE_CONFIG: z.string().min(1, 'must be a file path').default(ENV_DEFAULTS.SCRIBE_CONFIG),
});

export type Series = z.output<typeof seriesSchema>;
/** What a person writes for one series (optional keys may be left out). */
export type SeriesInput = z.input<typeof seriesSchema>;
export type Env = z.output<typeof envSchema>;
export type LogLevel = Env['LOG_LEVEL'];

export interface Config {
  readonly env: Env;
  /** The path the series were read from, as given by SCRIBE_CONFIG. */
  readonly configPath: string;
  readonly series: readonly Series[];
}

// ---------------------------------------------------------------------------------------------------

/** What each key expects, for messages about a missing or wrongly typed value. */
const EXPECTED: Record<string, string> = {
  series: 'a list of meeting series',
  id: 'a short id of lowercase letters, digits and hyphens, e.g. hackathon',
  guild: 'the server id, e.g. "100000000000000001"',
  voiceChannel: "the meeting's voice channel id",
  textChannel: 'the id of the text channel where the meeting thread is opened',
  timeZone: 'an IANA time zone such as Europe/Berlin',
  open: 'a cron expression in timeZone, e.g. "0 9 * * 6"',
  durationMinutes: 'the meeting length in minutes, e.g. 240',
  remindBeforeEndMinutes: 'minutes before the end to remind people, e.g. 30 (leave the key out for no reminder)',
  threadName: 'a thread name template, e.g. "Hackathon {yyyy}-{mm}-{dd}"',
  teams: 'a list of team names, e.g. [community]',
  location: 'a location text, e.g. "Online, Discord, the `#{voiceChannelName}` voice channel"',
  maintainerRoles: 'a list of role ids',
  minPresenceMinutes: 'minutes of voice presence that make an attendee a participant, e.g. 5',
  notesPath: 'a notes file path template, e.g. "hackathons/{yyyy}/{yyyy}-{mm}-{dd}.md"',
  template: 'the notes layout: activities (one block per person) or discussion (agenda, discussion, TODOs and decisions)',
  title: 'the topic of the notes\' title, e.g. "VMM WG"',
  tags: 'a list of tags, e.g. [unikraft, vmm]',
  agendaOpenToAll: 'true to let everyone edit the agenda, false for maintainers only',
  DISCORD_TOKEN: 'put the bot token from the Discord developer portal in the environment or in .env',
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'bigint' || typeof value === 'number') return `the number ${value.toString()}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The value a person gave at `path`, or undefined when it is missing (zod's issues carry it only on request). */
function inputAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** zod's own wording for a wrong type or a failed union, which a field's message replaces. */
const GENERIC_MESSAGE = /^Invalid input(: expected .+, received .+)?$/;

function issueText(issue: z.core.$ZodIssue, root: unknown, secretKeys: ReadonlySet<string>): string {
  const path = formatPath(issue.path);
  const last = issue.path.at(-1);
  const expected = typeof last === 'string' ? EXPECTED[last] : undefined;
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.length === 0 ? '' : `${path}: `;
    return `${where}unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; check the spelling against config/example.yaml`;
  }
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
    const input = inputAt(root, issue.path);
    if (input === undefined) {
      return `${path}: missing; ${expected ?? issue.message}`;
    }
    const got = typeof last === 'string' && secretKeys.has(last) ? 'a value of the wrong type' : describe(input);
    // A field with its own message (e.g. DISCORD_TOKEN) keeps it; otherwise say what was expected.
    const custom = GENERIC_MESSAGE.test(issue.message) ? undefined : issue.message;
    return `${path}: got ${got}; ${custom ?? `expected ${expected ?? (issue.code === 'invalid_type' ? issue.expected : 'another value')}`}`;
  }
  return `${path}: ${issue.message}`;
}

function problemsOf(error: z.ZodError, root: unknown, secretKeys: ReadonlySet<string> = new Set()): string[] {
  return error.issues.map((issue) => issueText(issue, root, secretKeys));
}

/** Parses the environment alone (the config file's path comes from it). */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): Env {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError(problemsOf(result.error, env, new Set(['DISCORD_TOKEN'])), 'Scribe cannot start: the environment has problems');
  return result.data;
}

/** Parses the YAML text of a config file. `source` names the file in messages. */
export function parseConfigFile(text: string, source = 'the config file'): Series[] {
  let document: unknown;
  try {
    document = parseYaml(text, { intAsBigInt: true, prettyErrors: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw new ConfigError([`${source} is not valid YAML: ${error.message.split('\n')[0] ?? ''}`]);
    }
    throw error;
  }
  if (document === null || document === undefined) {
    throw new ConfigError([`${source} is empty; start from config/example.yaml`]);
  }
  const result = configFileSchema.safeParse(document);
  if (!result.success) throw new ConfigError(problemsOf(result.error, document).map((p) => `${source}: ${p}`));
  return result.data.series;
}

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
  if (problems.length > 0 || !envResult.success || series === undefined) throw new ConfigError(problems);
  return { env: envResult.data, configPath, series };
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
