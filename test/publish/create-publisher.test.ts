import { describe, expect, it } from 'vitest';
import type { Env, Series } from '../../src/config.ts';
import { parseEnv } from '../../src/config.ts';
import { createPublishers } from '../../src/publish/create-publisher.ts';
import { hackathon } from '../meetings/helpers.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const env: Env = { ...parseEnv({ DISCORD_TOKEN: 't' }), PUBLISH_DIR: '/tmp/scribe-publish-unused' };
const author = { name: 'Scribe', email: 's@example.org' };
const git = (id: string, remote: string): Series => ({
  ...hackathon({ id }),
  publish: { kind: 'git', remote, branch: 'main', author, signOff: false, message: 'm' },
});
const github = (id: string, tokenEnv: string): Series => ({
  ...hackathon({ id }),
  publish: {
    kind: 'github',
    repository: 'unikraft/meeting-notes',
    base: 'staging',
    branchTemplate: 'n/{series}',
    tokenEnv,
    author,
    signOff: false,
    message: 'm',
  },
});

describe('createPublishers', () => {
  it('one publisher per place: series sharing a remote share its clone; none for a series without publish', () => {
    const publisherFor = createPublishers({ env, publishTokens: {} }, silent);
    expect(publisherFor(hackathon())).toBeUndefined();
    const a = publisherFor(git('a', 'git@example.org:notes.git'));
    expect(a).toBeDefined();
    expect(publisherFor(git('b', 'git@example.org:notes.git'))).toBe(a);
    expect(publisherFor(git('c', 'git@example.org:other.git'))).not.toBe(a);
  });

  it("github: made with the token of the series' tokenEnv; without it, an error that names the variable, not a token", () => {
    const publisherFor = createPublishers({ env, publishTokens: { GITHUB_TOKEN: 'ghp_x1234567890' } }, silent);
    const made = publisherFor(github('a', 'GITHUB_TOKEN'));
    expect(typeof made?.publish).toBe('function');
    expect(publisherFor(github('b', 'GITHUB_TOKEN'))).toBe(made);
    expect(() => publisherFor(github('c', 'NOTES_TOKEN'))).toThrow(/the environment has no NOTES_TOKEN for github:unikraft\/meeting-notes/);
  });
});
