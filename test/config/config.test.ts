import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config-load.ts';
import { ConfigError, ENV_DEFAULTS, parseConfigFile, parseEnv } from '../../src/config.ts';

const exampleUrl = new URL('../../config/example.yaml', import.meta.url);
const example = readFileSync(exampleUrl, 'utf8');
const TOKEN = 'token-abc.def';

function load(text: string, env: Record<string, string | undefined> = { DISCORD_TOKEN: TOKEN }) {
  return loadConfig({ env, readFile: () => text });
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

/** The example with one line replaced (the key must be unique in the example). */
function exampleWith(key: string, line: string | null): string {
  const pattern = new RegExp(`^    ${key}:.*$`, 'm');
  expect(example).toMatch(pattern);
  return line === null ? example.replace(pattern, '') : example.replace(pattern, `    ${line}`);
}

describe('config/example.yaml', () => {
  it('loads, with the Unikraft hackathon series', () => {
    const repoRoot = new URL('../../', import.meta.url);
    const config = loadConfig({
      env: { DISCORD_TOKEN: TOKEN, SCRIBE_CONFIG: 'config/example.yaml' },
      readFile: (path) => readFileSync(new URL(path, repoRoot), 'utf8'),
    });
    expect(config.configPath).toBe('config/example.yaml');
    expect(config.series).toEqual([
      {
        id: 'hackathon',
        guild: '100000000000000001',
        voiceChannel: '100000000000000002',
        textChannel: '100000000000000003',
        timeZone: 'Europe/Berlin',
        open: '0 9 * * 6',
        durationMinutes: 240,
        remindBeforeEndMinutes: 30,
        threadName: 'Hackathon {yyyy}-{mm}-{dd}',
        teams: ['community'],
        location: 'Online, Discord (https://bit.ly/UnikraftDiscord), the `#{voiceChannelName}` voice channel',
        maintainerRoles: ['100000000000000004'],
        minPresenceMinutes: 5,
        notesPath: 'hackathons/{yyyy}/{yyyy}-{mm}-{dd}.md',
        template: 'activities',
      },
    ]);
  });

  it('its commented working-group series in the discussion layout loads once uncommented', () => {
    const lines = example.split('\n');
    const start = lines.findIndex((l) => l.startsWith('  # - id: vmm'));
    expect(start).toBeGreaterThan(0);
    const vmm = lines
      .slice(start)
      .map((l) => l.replace(/^ {2}# ?/, '  '))
      .join('\n');
    const [series] = parseConfigFile(`series:\n${vmm}`);
    expect(series).toMatchObject({ id: 'vmm', template: 'discussion', title: 'VMM WG', tags: ['unikraft', 'vmm'], agendaOpenToAll: false });
  });

  it('documents every key it sets with a comment just above it', () => {
    const lines = example.split('\n');
    const keys = lines.filter((l) => /^ {4}[a-zA-Z]+:/.test(l) || /^ {2}- id:/.test(l));
    expect(keys.length).toBe(15);
    for (const keyLine of keys) {
      const index = lines.indexOf(keyLine);
      expect(lines[index - 1], `comment above ${keyLine}`).toMatch(/^\s*#/);
    }
  });
});

describe('environment', () => {
  it('applies the documented defaults', () => {
    expect(parseEnv({ DISCORD_TOKEN: TOKEN })).toEqual({ DISCORD_TOKEN: TOKEN, ...ENV_DEFAULTS });
    expect(ENV_DEFAULTS.DISCORD_API_URL).toBe('https://discord.com/api');
    expect(ENV_DEFAULTS.STORE_URL).toBe('sqlite://data/scribe.sqlite');
  });

  it('requires the token and says where to put it', () => {
    const problems = problemsOf(() => load(example, {}));
    expect(problems).toEqual([expect.stringMatching(/^DISCORD_TOKEN: missing; .*\.env/)]);
  });

  it('refuses a bad store URL, log level and API URL by name, never echoing the token', () => {
    const problems = problemsOf(() => load(example, { DISCORD_TOKEN: TOKEN, STORE_URL: 'mysql://x', LOG_LEVEL: 'loud', DISCORD_API_URL: 'not a url' }));
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('STORE_URL: '))).toMatch(/sqlite:\/\/, redis:\/\//);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL: '))).toMatch(/one of fatal, error/);
    expect(problems.find((p) => p.startsWith('DISCORD_API_URL: '))).toMatch(/http\(s\) URL/);
    expect(problems.join('\n')).not.toContain(TOKEN);
  });

  it('reads SCRIBE_CONFIG as the file path', () => {
    const paths: string[] = [];
    loadConfig({ env: { DISCORD_TOKEN: TOKEN, SCRIBE_CONFIG: '/etc/scribe/x.yaml' }, readFile: (p) => (paths.push(p), example) });
    expect(paths).toEqual(['/etc/scribe/x.yaml']);
  });
});

describe('series errors name the key by path and say the fix', () => {
  it('a series id too long for the /update form id', () => {
    const problems = problemsOf(() => load(example.replace('- id: hackathon', `- id: ${'a'.repeat(33)}`)));
    expect(problems).toEqual(['config/scribe.yaml: series[0].id: must be at most 32 characters']);
  });

  it('a misspelt time zone, with a suggestion', () => {
    const problems = problemsOf(() => load(exampleWith('timeZone', 'timeZone: Europe/Berln')));
    expect(problems).toEqual([
      'config/scribe.yaml: series[0].timeZone: "Europe/Berln" is not an IANA time zone; did you mean Europe/Berlin? use a name such as Europe/Berlin',
    ]);
  });

  it('a bad cron, a missing key, a wrong type and an unknown key together', () => {
    let text = exampleWith('open', 'open: "0 25 * * 6"');
    text = text.replace(/^ {4}location:.*$/m, '');
    text = text.replace(/^ {4}durationMinutes:.*$/m, '    durationMinutes: four hours');
    text = text.replace(/^ {4}teams:.*$/m, '    teams: [community]\n    team: [x]');
    const problems = problemsOf(() => load(text));
    expect(problems).toHaveLength(4);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^config\/scribe\.yaml: series\[0\]\.open: "0 25 \* \* 6" is not a cron expression \(25 is a invalid expression for hour\); write five fields/,
      ),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^config\/scribe\.yaml: series\[0\]\.location: missing; a location text/));
    expect(problems).toContainEqual(expect.stringMatching(/series\[0\]\.durationMinutes: got string "four hours"; expected the meeting length in minutes/));
    expect(problems).toContainEqual(expect.stringMatching(/series\[0\]: unknown key team; check the spelling/));
  });

  it('a reminder not before the end', () => {
    expect(problemsOf(() => load(exampleWith('remindBeforeEndMinutes', 'remindBeforeEndMinutes: 240')))).toEqual([
      'config/scribe.yaml: series[0].remindBeforeEndMinutes: must be less than durationMinutes (240), or left out for no reminder',
    ]);
  });

  it('an unknown placeholder and an escaping notes path', () => {
    let text = example;
    text = text.replace(/^ {4}threadName:.*$/m, '    threadName: "Hackathon {yyy}"');
    text = text.replace(/^ {4}notesPath:.*$/m, '    notesPath: "../x.md"');
    const problems = problemsOf(() => load(text));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/series\[0\]\.threadName: unknown placeholder \{yyy\}; the placeholders here are \{yyyy\} \{mm\} \{dd\}/),
        expect.stringMatching(/series\[0\]\.notesPath: must be a relative path/),
      ]),
    );
  });

  it('ids: malformed snowflakes and duplicate series ids', () => {
    const doubled = example.replace(/^series:\n/m, 'series:\n') + (example.split('series:\n')[1] ?? '').replace('guild: "100000000000000001"', 'guild: "12"');
    const problems = problemsOf(() => load(doubled));
    expect(problems).toEqual([
      expect.stringMatching(/series\[1\]\.guild: is not a Discord id/),
      expect.stringMatching(/series\[1\]\.id: "hackathon" is already the id of series\[0\]/),
    ]);
  });

  it('the discussion layout: title required, its keys refused in an activities series, tags without commas, a known template', () => {
    expect(problemsOf(() => load(exampleWith('template', 'template: discussion')))).toEqual([
      'config/scribe.yaml: series[0].title: missing; template: discussion needs the topic of the notes\' title, e.g. title: "VMM WG" (the notes say "VMM WG, June 14, 2023")',
    ]);
    expect(problemsOf(() => load(exampleWith('template', 'template: minutes')))).toEqual([
      'config/scribe.yaml: series[0].template: must be activities or discussion',
    ]);
    expect(problemsOf(() => load(exampleWith('template', 'title: "VMM WG"\n    tags: [vmm]\n    agendaOpenToAll: true')))).toEqual([
      'config/scribe.yaml: series[0].title: is only used with template: discussion; remove it or set template: discussion',
      'config/scribe.yaml: series[0].tags: is only used with template: discussion; remove it or set template: discussion',
      'config/scribe.yaml: series[0].agendaOpenToAll: is only used with template: discussion; remove it or set template: discussion',
    ]);
    const discussion = (extra: string) => load(exampleWith('template', `template: discussion\n    title: "VMM WG"\n    ${extra}`));
    expect(problemsOf(() => discussion('tags: ["unikraft, vmm", ""]'))).toEqual([
      'config/scribe.yaml: series[0].tags[0]: a tag must not contain a comma or a line break (the notes write the tags as one comma-separated line)',
      'config/scribe.yaml: series[0].tags[1]: a tag must not be empty',
    ]);
    expect(problemsOf(() => discussion('agendaOpenToAll: "yes"'))).toEqual([
      'config/scribe.yaml: series[0].agendaOpenToAll: got string "yes"; must be true or false',
    ]);
    expect(discussion('tags: [unikraft, vmm]').series[0]).toMatchObject({ template: 'discussion', title: 'VMM WG', tags: ['unikraft', 'vmm'] });
  });

  it('keeps every digit of an unquoted id', () => {
    const series = parseConfigFile(example.replace('guild: "100000000000000001"', 'guild: 123456789012345678901'.slice(0, 26)));
    expect(series[0]?.guild).toBe('1234567890123456789');
  });

  it('applies the defaults of the optional keys', () => {
    let text = exampleWith('maintainerRoles', null);
    text = text.replace(/^ {4}minPresenceMinutes:.*$/m, '').replace(/^ {4}remindBeforeEndMinutes:.*$/m, '');
    const [series] = load(text).series;
    expect(series?.maintainerRoles).toEqual([]);
    expect(series?.minPresenceMinutes).toBe(5);
    expect(series).not.toHaveProperty('remindBeforeEndMinutes');
  });

  it('a missing file, invalid YAML and an empty file each get one clear line', () => {
    const enoent = Object.assign(new Error('nope'), { code: 'ENOENT' });
    expect(
      problemsOf(() =>
        loadConfig({
          env: { DISCORD_TOKEN: TOKEN },
          readFile: () => {
            throw enoent;
          },
        }),
      ),
    ).toEqual([expect.stringMatching(/^config file config\/scribe\.yaml not found; copy config\/example\.yaml/)]);
    expect(problemsOf(() => load('series:\n  - id: a\n  - id: b\n    id: c\n'))).toEqual([
      'config/scribe.yaml is not valid YAML: duplicated mapping key (line 4, column 5)',
    ]);
    expect(problemsOf(() => load('series: [\n'))).toEqual([expect.stringMatching(/^config\/scribe\.yaml is not valid YAML: .* \(line 2, column 1\)$/)]);
    expect(problemsOf(() => load(''))).toEqual(['config/scribe.yaml is empty; start from config/example.yaml']);
    expect(problemsOf(() => load('# series: come later\n'))).toEqual(['config/scribe.yaml is empty; start from config/example.yaml']);
    expect(problemsOf(() => load(`${example}---\n${example}`))).toEqual([
      'config/scribe.yaml holds 2 YAML documents (--- between them); a config file is one document',
    ]);
  });

  it('the message is for a person: a heading and one line a problem, no stack frames', () => {
    try {
      load(exampleWith('timeZone', 'timeZone: Mars/Olympus'), {});
    } catch (error) {
      const message = (error as Error).message;
      expect(message.split('\n')[0]).toBe('Scribe cannot start: the configuration has problems:');
      expect(message.split('\n')).toHaveLength(3);
      expect(message).not.toMatch(/\bat .*\.ts:\d+/);
      return;
    }
    throw new Error('expected a ConfigError');
  });
});
