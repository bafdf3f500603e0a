import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config-load.ts';
import { ConfigError, parseEnv } from '../../src/config.ts';
import { publishTarget } from '../../src/meetings/publish-target.ts';

const example = readFileSync(new URL('../../config/example.yaml', import.meta.url), 'utf8');
const TOKEN = 'token-abc.def';
const GITHUB_SECRET = 'ghp_secretsecretsecret';

/** The example's hackathon series with the commented publish block uncommented. */
function examplePublish(): string {
  const lines = example.split('\n');
  const start = lines.indexOf('    # publish:');
  const end = lines.indexOf('    #', start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const block = lines.slice(start, end).map((l) => l.replace(/^ {4}# ?/, '    '));
  return [...lines.slice(0, start), ...block, ...lines.slice(end)].join('\n');
}

/** The example with its publish block replaced by `yaml` (indented under the series). */
function withPublish(yaml: string): string {
  const lines = example.split('\n');
  const at = lines.indexOf('    template: activities') + 1;
  return [...lines.slice(0, at), '    publish:', ...yaml.split('\n').map((l) => `      ${l}`), ...lines.slice(at)].join('\n');
}

function load(text: string, env: Record<string, string> = {}) {
  return loadConfig({ env: { DISCORD_TOKEN: TOKEN, ...env }, readFile: () => text });
}

function problems(text: string, env: Record<string, string> = {}): readonly string[] {
  try {
    load(text, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const AUTHOR = 'author: { name: "Scribe", email: "scribe@example.org" }';

describe('publish (issue 23)', () => {
  it("the example's publish block loads once uncommented, with the defaults, and makes unikraft/meeting-notes' message", () => {
    const [series] = load(examplePublish()).series;
    expect(series?.publish).toEqual({
      kind: 'git',
      remote: 'git@github.com:unikraft/meeting-notes.git',
      branch: 'staging',
      author: { name: 'Scribe', email: 'scribe@example.org' },
      signOff: true,
      message: '{team}: Add summary of meeting on {date}',
    });
    if (!series?.publish) throw new Error('no publish');
    expect(publishTarget(series, series.publish, '2022-03-19')).toEqual({
      where: 'git@github.com:unikraft/meeting-notes.git',
      branch: 'staging',
      path: 'hackathons/2022/2022-03-19.md',
      message: 'community: Add summary of meeting on March 19, 2022\n\nSigned-off-by: Scribe <scribe@example.org>',
    });
  });

  it('github: tokenEnv and branchTemplate default; the token comes from the environment, and its absence is refused at start by key', () => {
    const text = withPublish(`kind: github\nrepository: unikraft/meeting-notes\nbase: staging\n${AUTHOR}`);
    const config = load(text, { GITHUB_TOKEN: GITHUB_SECRET });
    const [series] = config.series;
    expect(series?.publish).toMatchObject({ kind: 'github', tokenEnv: 'GITHUB_TOKEN', branchTemplate: 'notes/{series}/{yyyy}-{mm}-{dd}', signOff: false });
    expect(config.publishTokens).toEqual({ GITHUB_TOKEN: GITHUB_SECRET });
    if (!series?.publish) throw new Error('no publish');
    expect(publishTarget(series, series.publish, '2022-03-19')).toMatchObject({
      branch: 'notes/hackathon/2022-03-19',
      message: 'community: Add summary of meeting on March 19, 2022',
    });

    expect(problems(text)).toEqual([
      expect.stringMatching(/^config\/scribe\.yaml: series\[0\]\.publish\.tokenEnv: the environment has no GITHUB_TOKEN; .*never in the YAML/),
    ]);
    const own = withPublish(`kind: github\nrepository: unikraft/meeting-notes\nbase: staging\ntokenEnv: NOTES_TOKEN\n${AUTHOR}`);
    expect(problems(own, { GITHUB_TOKEN: GITHUB_SECRET })).toEqual([expect.stringMatching(/publish\.tokenEnv: the environment has no NOTES_TOKEN/)]);
    expect(load(own, { NOTES_TOKEN: GITHUB_SECRET }).publishTokens).toEqual({ NOTES_TOKEN: GITHUB_SECRET });
  });

  it('refuses credentials in the remote, both or neither of branch and branchTemplate, bad templates and a missing author, each by key', () => {
    const remote = 'https://scribe:hunter2@example.org/notes.git';
    const found = problems(withPublish(`kind: git\nremote: "${remote}"\nbranch: main\n${AUTHOR}`));
    expect(found).toEqual([
      expect.stringMatching(/^config\/scribe\.yaml: series\[0\]\.publish\.remote: holds a password or token; credentials never go in the YAML/),
    ]);
    expect(found.join('\n')).not.toContain('hunter2');
    // GitHub takes a token as the user part alone; an SSH account (git@host) is no secret.
    expect(problems(withPublish(`kind: git\nremote: "https://${GITHUB_SECRET}@github.com/u/n.git"\nbranch: main\n${AUTHOR}`))).toEqual([
      expect.stringMatching(/publish\.remote: holds a password or token/),
    ]);
    expect(load(withPublish(`kind: git\nremote: "ssh://git@example.org:2222/notes.git"\nbranch: main\n${AUTHOR}`)).series[0]?.publish).toMatchObject({
      kind: 'git',
    });

    expect(problems(withPublish(`kind: git\nremote: x\nbranch: main\nbranchTemplate: "n/{yyyy}"\n${AUTHOR}`))).toEqual([
      expect.stringMatching(/series\[0\]\.publish\.branch: give exactly one of branch .* or branchTemplate/),
    ]);
    expect(problems(withPublish(`kind: git\nremote: x\n${AUTHOR}`))).toEqual([expect.stringMatching(/series\[0\]\.publish\.branch: give exactly one/)]);

    const bad = problems(withPublish(`kind: git\nremote: x\nbranchTemplate: "notes/{sereis}/{yyyy}"\nmessage: "{team}: notes of {day}"\n${AUTHOR}`));
    expect(bad).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/publish\.branchTemplate: unknown placeholder \{sereis\}; the placeholders here are \{series\} \{yyyy\} \{mm\} \{dd\}/),
        expect.stringMatching(/publish\.message: unknown placeholder \{day\}; the placeholders here are \{team\} \{date\}/),
      ]),
    );
    expect(problems(withPublish(`kind: git\nremote: x\nbranchTemplate: "notes {yyyy}"\n${AUTHOR}`))).toEqual([
      expect.stringMatching(/publish\.branchTemplate: is not a valid git branch name/),
    ]);
    expect(problems(withPublish(`kind: git\nremote: x\nbranch: "{yyyy}"\n${AUTHOR}`))).toEqual([
      expect.stringMatching(/publish\.branch: takes no placeholders/),
    ]);
    expect(problems(withPublish('kind: git\nremote: x\nbranch: main'))).toEqual([
      expect.stringMatching(/^config\/scribe\.yaml: series\[0\]\.publish\.author: missing; the commits' author/),
    ]);
    expect(problems(withPublish('kind: svn\nremote: x'))).toEqual([expect.stringMatching(/series\[0\]\.publish.*kind must be git or github/)]);
    expect(problems(withPublish(`kind: github\nrepository: meeting-notes\nbase: staging\n${AUTHOR}`), { GITHUB_TOKEN: GITHUB_SECRET })).toEqual([
      expect.stringMatching(/publish\.repository: must be owner\/name/),
    ]);
  });

  it('notesPath takes {series}; GITHUB_API_URL must be a URL', () => {
    const text = example.replace(/^ {4}notesPath:.*$/m, '    notesPath: "{series}/{yyyy}-{mm}-{dd}.md"');
    const [series] = load(text).series;
    expect(series?.notesPath).toBe('{series}/{yyyy}-{mm}-{dd}.md');
    expect(() => parseEnv({ DISCORD_TOKEN: TOKEN, GITHUB_API_URL: 'api.github.com' })).toThrow(/GITHUB_API_URL: must be an http\(s\) URL/);
    expect(parseEnv({ DISCORD_TOKEN: TOKEN }).GITHUB_API_URL).toBe('https://api.github.com');
  });
});
