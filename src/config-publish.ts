/**
 * The `publish` key of a series (issue 23): where the notes are committed, by the git binary (`kind: git`)
 * or through GitHub's API with a pull request (`kind: github`). Part of the one config schema in
 * config.ts; kept apart so that each file stays readable. Credentials are never read from here.
 */
import { z } from 'zod';
import { redact } from './publish/redact.ts';

/** Placeholders of the publish templates; the path's are config.ts's notesPath ones. */
export const PUBLISH_PLACEHOLDERS = {
  branchTemplate: ['series', 'yyyy', 'mm', 'dd'],
  message: ['team', 'date', 'series', 'yyyy', 'mm', 'dd'],
} as const;

export const PUBLISH_DEFAULTS = {
  /** unikraft/meeting-notes' convention: "hackathons: Add summary of meeting on March 19, 2022". */
  message: '{team}: Add summary of meeting on {date}',
  branchTemplate: 'notes/{series}/{yyyy}-{mm}-{dd}',
  tokenEnv: 'GITHUB_TOKEN',
  signOff: false,
} as const;

/** Refuses placeholders a template does not know: a typo would otherwise land in every branch or commit. */
export function placeholderTemplate(allowed: readonly string[], example: string) {
  return z
    .string()
    .min(1, `must not be empty, e.g. "${example}"`)
    .superRefine((value, ctx) => {
      for (const match of value.matchAll(/\{([^{}]*)\}/g)) {
        const name = match[1] ?? '';
        if (!allowed.includes(name)) {
          ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}}; the placeholders here are ${allowed.map((a) => `{${a}}`).join(' ')}` });
        }
      }
      const unbalanced = value.replace(/\{[^{}]*\}/g, '');
      if (/[{}]/.test(unbalanced)) ctx.addIssue({ code: 'custom', message: `has an unclosed brace; write placeholders as {name}, e.g. "${example}"` });
    });
}

/**
 * What git refuses in a branch name (git check-ref-format), checked on the template with placeholders
 * standing for digits and the series id, so that a bad template is refused at start, not at the first push.
 */
export function branchProblem(template: string): string | undefined {
  const sample = template.replace(/\{series\}/g, 'series').replace(/\{(yyyy|mm|dd)\}/g, '00');
  if (/[\s~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.$|\.lock$|^-/.test(sample) || sample.split('/').some((part) => part.startsWith('.'))) {
    return 'is not a valid git branch name (no spaces, "..", "~^:?*[\\", leading "-" or "/", or trailing ".lock"); e.g. "notes/{series}/{yyyy}-{mm}-{dd}"';
  }
  return undefined;
}

const branchTemplate = placeholderTemplate(PUBLISH_PLACEHOLDERS.branchTemplate, PUBLISH_DEFAULTS.branchTemplate).superRefine((value, ctx) => {
  const problem = branchProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const branch = z
  .string()
  .min(1, 'must not be empty, e.g. "main"')
  .superRefine((value, ctx) => {
    if (/[{}]/.test(value)) ctx.addIssue({ code: 'custom', message: 'takes no placeholders; use branchTemplate for a branch per meeting' });
    else {
      const problem = branchProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });

/**
 * A URL with a password, or an http(s) URL with any user part (GitHub takes a token there), would put a
 * credential in the YAML. SSH's `git@host:` names an account, not a secret, and stays allowed.
 */
function hasCredentials(remote: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(remote) || /^https?:\/\/[^/]*@/i.test(remote);
}

const shared = {
  author: z.strictObject({
    name: z.string().trim().min(1, 'must not be empty, e.g. "Scribe"'),
    email: z
      .string()
      .trim()
      .regex(/^[^\s<>@]+@[^\s<>@]+$/, 'must be an e-mail address, e.g. "scribe@example.org"'),
  }),
  signOff: z.boolean('must be true or false').default(PUBLISH_DEFAULTS.signOff),
  message: placeholderTemplate(PUBLISH_PLACEHOLDERS.message, PUBLISH_DEFAULTS.message)
    .refine((value) => value.trim().length > 0, 'must not be blank')
    .default(PUBLISH_DEFAULTS.message),
};

const gitPublish = z
  .strictObject({
    kind: z.literal('git'),
    remote: z
      .string()
      .trim()
      .min(1, 'must not be empty; any URL git accepts, e.g. "git@github.com:unikraft/meeting-notes.git"')
      .refine((value) => !hasCredentials(value), {
        message: 'holds a password or token; credentials never go in the YAML: use an SSH key or a git credential helper (git config credential.helper)',
      }),
    branch: branch.optional(),
    branchTemplate: branchTemplate.optional(),
    ...shared,
  })
  .superRefine((p, ctx) => {
    if ((p.branch === undefined) === (p.branchTemplate === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['branch'],
        message:
          'give exactly one of branch (push straight to it, e.g. "main") or branchTemplate (a branch per meeting, e.g. "notes/{series}/{yyyy}-{mm}-{dd}")',
      });
    }
  });

const githubPublish = z.strictObject({
  kind: z.literal('github'),
  repository: z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be owner/name, e.g. "unikraft/meeting-notes"'),
  base: branch,
  branchTemplate: branchTemplate.default(PUBLISH_DEFAULTS.branchTemplate),
  tokenEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, e.g. GITHUB_TOKEN (the token itself never goes in the YAML)')
    .default(PUBLISH_DEFAULTS.tokenEnv),
  ...shared,
});

export const publishSchema = z.discriminatedUnion('kind', [gitPublish, githubPublish], 'kind must be git or github');

export type PublishConfig = z.output<typeof publishSchema>;
export type GitPublishConfig = Extract<PublishConfig, { kind: 'git' }>;
export type GitHubPublishConfig = Extract<PublishConfig, { kind: 'github' }>;

/** Where the notes go, for logs and replies: never a credential (the YAML has none, see hasCredentials). */
export function publishWhere(publish: PublishConfig): string {
  return publish.kind === 'git' ? redact(publish.remote) : `github:${publish.repository}`;
}
