// Discord's behaviours that a kind emulator would leave out, each with a switch (README "Rules" lists their sources).

export interface DiscordRules {
  /** Sending into an archived, unlocked thread unarchives it (THREAD_UPDATE); editing in one is refused with 50083. */
  archivedThreads: boolean;
  /** `content` is stored trimmed; an empty or whitespace-only message without files or embeds is refused (50006). */
  trimContent: boolean;
  /** X-RateLimit-* headers on every answer, per-route buckets, and the global limit (interaction endpoints exempt). */
  rateLimits: boolean;
  /** Posting messages into one channel: `channelMessageLimit` per window (needs `rateLimits`). */
  channelMessageRateLimit: boolean;
  /** GUILD_CREATE without GuildPresences lists only the bot and the members in voice; member_count stays the real size. */
  guildCreateMembers: boolean;
  /** Listing members (GET /guilds/{id}/members, op 8 for the whole list) needs the privileged GuildMembers intent. */
  memberListIntent: boolean;
  /** IDENTIFY with a privileged intent the application has not enabled is closed with 4014. */
  privilegedIntents: boolean;
  /** More IDENTIFYs than max_concurrency per 5 s (per bucket shard_id % max_concurrency) get op 9. */
  identifyConcurrency: boolean;
  /** Requests with an interaction token older than its lifetime get 401, 50027 Invalid Webhook Token. */
  expiredTokenUnauthorized: boolean;
  /** Modals: one text input per action row, labels required (≤ 45), min_length 0–4,000. */
  modalRules: boolean;
}

/** The defaults: ON where Scribe's tests pass with the rule, OFF (with the reason) where they do not yet. */
export const DEFAULT_RULES: Readonly<DiscordRules> = {
  archivedThreads: true,
  trimContent: true,
  rateLimits: true,
  channelMessageRateLimit: true,
  guildCreateMembers: true,
  memberListIntent: true,
  privilegedIntents: true,
  identifyConcurrency: true,
  expiredTokenUnauthorized: true,
  modalRules: true,
};

/** Discord's privileged intents, by the name an application enables them under. */
export type PrivilegedIntent = 'GuildMembers' | 'GuildPresences' | 'MessageContent';

export const PRIVILEGED_INTENT_BITS: Record<PrivilegedIntent, number> = {
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  MessageContent: 1 << 15,
};

export function privilegedMask(enabled: readonly PrivilegedIntent[]): number {
  return enabled.reduce((mask, name) => mask | PRIVILEGED_INTENT_BITS[name], 0);
}
