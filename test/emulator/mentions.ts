// Who a message would ping, under Discord's allowed_mentions rules.
// Absent allowed_mentions: every parsed mention pings (a reply pings the replied author).
// Present: only what `parse` names or the `users`/`roles` lists allow; @everyone/@here need parse:['everyone'];
// the replied author only with replied_user:true.
// Independently of allowed_mentions, @everyone/@here and non-mentionable roles ping only if the author
// holds Mention Everyone in the channel.
import type { AllowedMentions, MentionResult } from './model.ts';

export interface MentionContext {
  content: string;
  allowedMentions: AllowedMentions | undefined;
  /** The author may mention @everyone, @here and every role. */
  authorCanMentionEveryone: boolean;
  roleIsMentionable: (roleId: string) => boolean;
  roleExists: (roleId: string) => boolean;
  /** Author of the message this one replies to, if any. */
  repliedAuthorId: string | null;
}

export function parseMentions(content: string): { users: string[]; roles: string[]; everyone: boolean } {
  const users = new Set<string>();
  const roles = new Set<string>();
  for (const m of content.matchAll(/<@!?(\d{15,21})>/g)) if (m[1]) users.add(m[1]);
  for (const m of content.matchAll(/<@&(\d{15,21})>/g)) if (m[1]) roles.add(m[1]);
  const everyone = /@(everyone|here)/.test(content);
  return { users: [...users], roles: [...roles], everyone };
}

export function computeMentions(ctx: MentionContext): MentionResult {
  const parsed = parseMentions(ctx.content);
  const am = ctx.allowedMentions;
  const parse = am?.parse ?? [];
  const allowUser = (id: string): boolean => am === undefined || parse.includes('users') || (am.users ?? []).includes(id);
  const allowRole = (id: string): boolean => am === undefined || parse.includes('roles') || (am.roles ?? []).includes(id);
  const users = parsed.users.filter(allowUser);
  const roles = parsed.roles
    .filter((r) => ctx.roleExists(r))
    .filter(allowRole)
    .filter((r) => ctx.roleIsMentionable(r) || ctx.authorCanMentionEveryone);
  const everyone = parsed.everyone && (am === undefined || parse.includes('everyone')) && ctx.authorCanMentionEveryone;
  const repliedUser = ctx.repliedAuthorId !== null && (am === undefined || am.replied_user === true) ? ctx.repliedAuthorId : null;
  if (repliedUser && !users.includes(repliedUser)) users.push(repliedUser);
  return { users, roles, everyone, repliedUser };
}
