/**
 * YAML aliases in the config file: a generated file reusing anchors in every series loads (the yaml
 * library, used before, refused more than 100 alias uses), an alias bomb is refused, and every YAML the
 * reader refuses is one ConfigError line, never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedConfig } from '../../bench/config-generate.ts';
import { loadConfig } from '../../src/config-load.ts';
import { ConfigError } from '../../src/config.ts';

const example = readFileSync(new URL('../../config/example.yaml', import.meta.url), 'utf8');
const load = (text: string) => loadConfig({ env: { DISCORD_TOKEN: 'token-abc.def' }, readFile: () => text });

/** The one ConfigError line, after checking that the message is for a person (a heading, one line, no stack). */
function refusal(text: string): string {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(1);
    expect(message.split('\n')).toHaveLength(2);
    expect(message).not.toMatch(/\bat .*\.(ts|js):\d+/);
    return problems[0] ?? '';
  }
  throw new Error('expected a ConfigError');
}

/** The example's series written `count` times with distinct ids; its teams an anchor in the first, an alias in the others. */
function exampleSeries(count: number): string {
  const series = (example.split('series:\n')[1] ?? '').replace(/^\s*#.*\n/gm, '');
  expect(series).toMatch(/^ {4}teams: \[community\]$/m);
  const copies = Array.from({ length: count }, (_, i) =>
    series
      .replace('id: hackathon', `id: hackathon${i}`)
      .replace('notesPath: "hackathons/', `notesPath: "hackathons${i}/`)
      .replace(/^ {4}teams: \[community\]$/m, i === 0 ? '    teams: &common [community, maintainers]' : '    teams: *common'),
  );
  return `series:\n${copies.join('')}`;
}

describe('YAML aliases', () => {
  it('120 series with `teams: *common` load, each with the anchored teams', () => {
    const text = exampleSeries(120);
    expect(text.match(/\*common/g)).toHaveLength(119);
    const { series } = load(text);
    expect(series).toHaveLength(120);
    expect(series.every((s) => s.teams.join() === 'community,maintainers')).toBe(true);
    expect(new Set(series.map((s) => s.id)).size).toBe(120);
  });

  it('a generated file of 2,000 series, three anchors reused in each, loads with every id and alias in place', () => {
    const { series } = load(generatedConfig(2_000));
    expect(series).toHaveLength(2_000);
    expect(new Set(series.map((s) => s.guild)).size).toBe(2_000);
    expect(new Set(series.map((s) => s.textChannel)).size).toBe(2_000);
    expect(series[1_999]).toMatchObject({ id: 'community1999', timeZone: 'Europe/Berlin', teams: ['community', 'maintainers'] });
    expect(series[1_999]?.location).toBe(series[0]?.location);
  });

  it('an alias bomb (anchors of anchors, a billion values written out) is refused before it is validated', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [previous, name] of [...'abcdefgh'].map((p, i) => [p, 'bcdefghi'[i] ?? ''] as const)) {
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(', ')}]`);
    }
    const problem = refusal(`${levels.join('\n')}\nseries: *i\n`);
    expect(problem).toMatch(/^config\/scribe\.yaml would hold more than 10000 values with its aliases \(\*name\) written out .*alias bomb/);
  });

  it('a smaller bomb inside a series (a million values from 61 aliases) is refused too', () => {
    const bomb = exampleSeries(1).replace(
      /^ {4}teams: &common \[community, maintainers\]$/m,
      '    teams: &t0 [community]\n' +
        Array.from({ length: 6 }, (_, i) => `    title${i}: &t${i + 1} [${Array.from({ length: 10 }, () => `*t${i}`).join(', ')}]`).join('\n'),
    );
    expect(refusal(bomb)).toMatch(/alias bomb/);
  });

  it('an alias before its anchor, and an alias inside the value it names, are one clear line each', () => {
    const text = exampleSeries(2);
    const before = refusal(text.replace('&common', '&other'));
    const cycle = refusal(text.replace('&common [community, maintainers]', '&common [community, *common]'));
    expect(before).toBe('config/scribe.yaml uses the alias *common before any &common; define the anchor first');
    expect(cycle).toBe('config/scribe.yaml has an alias inside the value it names (a cycle); a configuration cannot be infinite');
  });

  it('syntax errors stay one line naming the file', () => {
    expect(refusal('series:\n  - id: [unclosed\n')).toMatch(/^config\/scribe\.yaml is not valid YAML: /);
  });
});
