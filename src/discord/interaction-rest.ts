import { REST, type Client } from 'discord.js';

/**
 * Discord does not count what is sent with an interaction's token (edits of the reply, follow-ups)
 * against the bot's global 50 requests a second (discord/discord-api-docs#4416), but discord.js's REST
 * counts every request: after 1,000 form submissions in a second the last "Saved" came 20 s late. So
 * those edits go through a REST of Scribe's own without that cap; each token's route keeps its own
 * limits, and idle routes are swept every minute since a token is dead after 15 minutes.
 */
const rests = new WeakMap<Client, REST>();

export function interactionRest(client: Client): REST {
  let rest = rests.get(client);
  if (!rest) {
    rest = new REST({ api: client.rest.options.api, globalRequestsPerSecond: Number.POSITIVE_INFINITY, handlerSweepInterval: 60_000 });
    rests.set(client, rest);
  }
  return rest;
}
