import { Client, Events, GatewayIntentBits, Options, Partials, REST, type InternalRequest } from 'discord.js';

/**
 * Scribe needs two intents: Guilds (channels, threads, roles, and the member list of GUILD_CREATE)
 * and GuildVoiceStates (who is in the meeting's voice channel). It reads no message content.
 */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates] as const;

export interface ClientOptions {
  /** REST base, e.g. https://discord.com/api or an emulator's http://127.0.0.1:PORT/api. */
  apiUrl: string;
  /** How long to wait for every guild's GUILD_CREATE before "ready"; discord.js's default is 15 s. */
  waitGuildTimeoutMs?: number;
}

export function createClient(options: ClientOptions): Client {
  const client = new Client({
    intents: [...INTENTS],
    partials: [Partials.GuildMember],
    rest: { api: options.apiUrl },
    // No message of Scribe's pings anyone unless it says so itself (the reminder names its users).
    allowedMentions: { parse: [], repliedUser: false },
    waitGuildTimeout: options.waitGuildTimeoutMs ?? 15_000,
    // Scribe never reads a message from the cache (it finds its own with cache-less fetches), and every
    // "Saved" reply would otherwise be kept: 200 per thread.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
  });
  exemptInteractionWebhooks(client, options.apiUrl);
  return client;
}

/** Per-route limits still apply to each interaction's own webhook; this only lifts the shared cap. */
const INTERACTION_REQUESTS_PER_SECOND = 10_000;

/**
 * Discord does not count what is sent with an interaction's token (edits of the reply, follow-ups)
 * against the bot's global 50 requests a second (discord/discord-api-docs#4416), but discord.js's REST
 * counts every request it queues: after 1,000 form submissions in a second, the last "Saved" reply
 * came 20 s late. Those requests go through a REST of their own, without the shared cap.
 */
function exemptInteractionWebhooks(client: Client, apiUrl: string): void {
  // Each interaction's token gets a rate-limit handler of its own; a token is dead after 15 minutes, so
  // idle handlers are swept every minute instead of discord.js's hourly default.
  const interactionRest = new REST({ api: apiUrl, globalRequestsPerSecond: INTERACTION_REQUESTS_PER_SECOND, handlerSweepInterval: 60_000 });
  const rest = client.rest;
  const queue = rest.queueRequest.bind(rest);
  rest.queueRequest = (request: InternalRequest) =>
    isInteractionWebhook(request, client.application?.id) ? interactionRest.queueRequest(request) : queue(request);
}

/** A request with an interaction's token: `/webhooks/<application id>/<token>…`, sent without the bot's token. */
export function isInteractionWebhook(request: Pick<InternalRequest, 'auth' | 'fullRoute'>, applicationId: string | undefined): boolean {
  return applicationId !== undefined && request.auth === false && request.fullRoute.startsWith(`/webhooks/${applicationId}/`);
}

/** Logs in and resolves once every guild has arrived ("ready"). */
export async function loginReady(client: Client, token: string): Promise<Client<true>> {
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  return ready;
}
