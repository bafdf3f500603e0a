/**
 * How the Discord port says that Scribe cannot use a channel or thread, in Scribe's own terms (the core
 * never sees discord.js errors): it is gone (deleted: Discord's 10003), or Scribe lacks access or a
 * permission there (50001, 50013, or the permissions Discord sent say so before asking).
 */
export type ChannelProblem = 'gone' | 'no-access';

export class ChannelUnavailableError extends Error {
  override readonly name = 'ChannelUnavailableError';

  constructor(
    readonly channelId: string,
    readonly problem: ChannelProblem,
    /** The permissions missing, as Discord's settings name them (e.g. "Send Messages in Threads"); empty when unknown. */
    readonly missing: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(
      problem === 'gone' ? `channel ${channelId} no longer exists` : `no ${missing.length > 0 ? missing.join(', ') : 'access'} in channel ${channelId}`,
      options,
    );
  }
}
