/**
 * The configuration: one zod schema for the YAML file (the meeting series) and one for the environment
 * (config-env.ts, re-exported here).
 * Both are the single source of their types. Errors come out as one `ConfigError` whose message names
 * every bad key by its path and says what to write instead, so start-up can print it to a person as is.
 */
import nodeCron from 'node-cron';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import type { Env } from './config-env.ts';
import { problemsOf } from './config-problems.ts';
import { publishSchema } from './config-publish.ts';
import { readYaml, YamlProblem } from './config-yaml.ts';
import { closestTimeZone, isIanaTimeZone } from './time-zone-names.ts';

export { ConfigError } from './config-error.ts';
export { ENV_DEFAULTS, envSchema, parseEnv, type Env, type LogLevel } from './config-env.ts';

/** Placeholders each template may use; anything else in braces is a typo and is refused at load time. */
export const TEMPLATE_PLACEHOLDERS = {
  threadName: ['yyyy', 'mm', 'dd'],
  notesPath: ['series', 'yyyy', 'mm', 'dd'],
  location: ['voiceChannelName'],
} as const;

/** Defaults of the optional series keys (documented in config/example.yaml). */
export const SERIES_DEFAULTS = {
  maintainerRoles: [] as string[],
  minPresenceMinutes: 5,
} as const;

/** The notes layouts a series may write (issue 22): one block per person, or agenda, discussion and decisions. */
export const NOTES_TEMPLATES = ['activities', 'discussion'] as const;
/** Keys that only a series with `template: discussion` uses. */
const DISCUSSION_KEYS = ['title', 'tags', 'agendaOpenToAll'] as const;

/** Discord caps thread names at 100 characters. */
const THREAD_NAME_LIMIT = 100;

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

const timeZone = z.string().superRefine((value, ctx) => {
  if (isIanaTimeZone(value)) return;
  const suggestion = closestTimeZone(value);
  ctx.addIssue({
    code: 'custom',
    message: `${JSON.stringify(value)} is not an IANA time zone; ` + (suggestion ? `did you mean ${suggestion}? ` : '') + 'use a name such as Europe/Berlin',
  });
});

// Per expression: generated configurations repeat a few hundred schedules over thousands of series.
const validCrons = new Set<string>();

const cronExpression = z.string().superRefine((value, ctx) => {
  if (validCrons.has(value)) return;
  if (nodeCron.validate(value)) {
    validCrons.add(value);
    return;
  }
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
    // Where the notes are committed (issue 23); left out, they stay in Discord only.
    publish: publishSchema.optional(),
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

export type Series = z.output<typeof seriesSchema>;
/** What a person writes for one series (optional keys may be left out). */
export type SeriesInput = z.input<typeof seriesSchema>;

export interface Config {
  readonly env: Env;
  /** The path the series were read from, as given by SCRIBE_CONFIG. */
  readonly configPath: string;
  readonly series: readonly Series[];
  /** The tokens of `publish.kind: github` series, by the name of their environment variable (never logged). */
  readonly publishTokens?: Readonly<Record<string, string>>;
}

/** Parses the YAML text of a config file. `source` names the file in messages. */
export function parseConfigFile(text: string, source = 'the config file'): Series[] {
  let document: unknown;
  try {
    document = readYaml(text);
  } catch (error) {
    // Whatever the YAML reader throws is about the document: one line for a person, never a stack trace.
    const reason =
      error instanceof YamlProblem ? error.message : `cannot be read as YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    throw new ConfigError([`${source} ${reason}`]);
  }
  if (document === null || document === undefined) {
    throw new ConfigError([`${source} is empty; start from config/example.yaml`]);
  }
  const result = configFileSchema.safeParse(document);
  if (!result.success) throw new ConfigError(problemsOf(result.error, document).map((p) => `${source}: ${p}`));
  return result.data.series;
}
