/** zod's issues about the config and the environment, as the lines a person reads: the key, what was given, what to write. */
import type { z } from 'zod';
import { formatPath } from './field-path.ts';

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
  publish: 'where the notes are committed: kind: git (remote, branch or branchTemplate) or kind: github (repository, base), with author',
  kind: 'git or github',
  remote: 'any URL git accepts, e.g. "git@github.com:unikraft/meeting-notes.git"',
  branch: 'the branch to push to, e.g. "main"',
  branchTemplate: 'a branch per meeting, e.g. "notes/{series}/{yyyy}-{mm}-{dd}"',
  repository: 'owner/name, e.g. "unikraft/meeting-notes"',
  base: 'the branch pull requests go to, e.g. "staging"',
  tokenEnv: 'the name of the environment variable holding the token, e.g. GITHUB_TOKEN',
  author: 'the commits\' author: { name: "Scribe", email: "scribe@example.org" }',
  email: 'an e-mail address, e.g. "scribe@example.org"',
  signOff: 'true to end each commit message with a Signed-off-by: trailer',
  message: 'the commit message, e.g. "{team}: Add summary of meeting on {date}"',
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

export function problemsOf(error: z.ZodError, root: unknown, secretKeys: ReadonlySet<string> = new Set()): string[] {
  return error.issues.map((issue) => issueText(issue, root, secretKeys));
}
