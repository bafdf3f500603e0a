import type { Client } from 'discord.js';
import type { CommandModule } from './command.ts';

export type DeployTarget = { readonly global: true } | { readonly guildIds: readonly string[] };

/**
 * Registers the commands, as their modules define them, with a logged-in client: per guild (takes
 * effect at once) or globally. Returns the names registered per target.
 */
export async function deployCommands(client: Client<true>, modules: readonly CommandModule[], target: DeployTarget): Promise<Map<string, string[]>> {
  const body = modules.map((m) => m.data);
  const done = new Map<string, string[]>();
  if ('global' in target) {
    const registered = await client.application.commands.set(body);
    done.set(
      'global',
      registered.map((c) => c.name),
    );
    return done;
  }
  for (const guildId of target.guildIds) {
    const registered = await client.application.commands.set(body, guildId);
    done.set(
      guildId,
      registered.map((c) => c.name),
    );
  }
  return done;
}
