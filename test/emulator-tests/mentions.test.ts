import { describe, expect, it } from 'vitest';
import { computeMentions, type MentionContext } from '../emulator/mentions.ts';
import { SnowflakeGenerator, shardOf } from '../emulator/snowflake.ts';

const U1 = '111111111111111111';
const U2 = '222222222222222222';
const R1 = '333333333333333333';
const R2 = '444444444444444444';

function ctx(content: string, over: Partial<MentionContext> = {}): MentionContext {
  return {
    content,
    allowedMentions: undefined,
    authorCanMentionEveryone: true,
    roleIsMentionable: (id) => id === R1,
    roleExists: () => true,
    repliedAuthorId: null,
    ...over,
  };
}

describe("Discord's allowed_mentions rules", () => {
  const text = `@everyone <@${U1}> <@!${U2}> <@&${R1}> <@&${R2}>`;

  it('pings everything parsed when allowed_mentions is absent', () => {
    expect(computeMentions(ctx(text))).toEqual({ users: [U1, U2], roles: [R1, R2], everyone: true, repliedUser: null });
  });

  it('needs Mention Everyone for @everyone/@here and for roles that are not mentionable', () => {
    expect(computeMentions(ctx(text, { authorCanMentionEveryone: false }))).toMatchObject({ roles: [R1], everyone: false });
  });

  it('needs parse:["everyone"] for @everyone once allowed_mentions is present', () => {
    expect(computeMentions(ctx(text, { allowedMentions: { parse: ['users', 'roles'] } }))).toMatchObject({ everyone: false, users: [U1, U2] });
    expect(computeMentions(ctx('@here', { allowedMentions: { parse: ['everyone'] } })).everyone).toBe(true);
  });

  it('limits pings to the listed users and roles', () => {
    expect(computeMentions(ctx(text, { allowedMentions: { users: [U2], roles: [R2] } }))).toEqual({
      users: [U2],
      roles: [R2],
      everyone: false,
      repliedUser: null,
    });
    expect(computeMentions(ctx(text, { allowedMentions: {} }))).toEqual({ users: [], roles: [], everyone: false, repliedUser: null });
  });

  it('pings a replied-to author by default, and with allowed_mentions only if replied_user is true', () => {
    expect(computeMentions(ctx('thanks', { repliedAuthorId: U1 })).repliedUser).toBe(U1);
    expect(computeMentions(ctx('thanks', { repliedAuthorId: U1, allowedMentions: { parse: [] } })).repliedUser).toBeNull();
    expect(computeMentions(ctx('thanks', { repliedAuthorId: U1, allowedMentions: { replied_user: true } })).users).toEqual([U1]);
  });
});

describe('snowflakes', () => {
  it('are 17–19 digits, increasing, and can target a shard', () => {
    const gen = new SnowflakeGenerator();
    const ids = Array.from({ length: 50 }, () => gen.next());
    for (const id of ids) expect(id).toMatch(/^\d{17,19}$/);
    for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i] ?? '0') > BigInt(ids[i - 1] ?? '0')).toBe(true);
    for (const shard of [0, 1, 2]) expect(shardOf(gen.nextForShard(shard, 3), 3)).toBe(shard);
  });
});
