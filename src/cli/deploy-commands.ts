import { loadConfig, loadDotEnv } from '../config-load.ts';
import { ConfigError } from '../config.ts';
import { createClient, loginReady } from '../discord/client.ts';
import { deployCommands } from '../discord/deploy.ts';
import { loadCommands } from '../discord/load-commands.ts';

/**
 * `scribe deploy-commands [--global]`: registers the slash commands, as the modules in commands/
 * define them, in every configured guild (at once) or globally (Discord may take up to an hour).
 */
export async function run(args: string[]): Promise<number> {
  const global = args.includes('--global');
  const unknown = args.filter((a) => a !== '--global');
  if (unknown.length > 0) {
    process.stderr.write(`scribe deploy-commands: unknown argument ${unknown.join(' ')}\nusage: scribe deploy-commands [--global]\n`);
    return 2;
  }
  let config;
  try {
    loadDotEnv();
    config = loadConfig({ env: process.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  const modules = await loadCommands();
  const client = createClient({ apiUrl: config.env.DISCORD_API_URL, waitGuildTimeoutMs: 1_000 });
  try {
    const ready = await loginReady(client, config.env.DISCORD_TOKEN);
    const guildIds = [...new Set(config.series.map((s) => s.guild))];
    const done = await deployCommands(ready, modules, global ? { global: true } : { guildIds });
    for (const [where, names] of done) {
      process.stdout.write(`${where === 'global' ? 'globally' : `guild ${where}`}: ${names.map((n) => `/${n}`).join(' ')}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`scribe deploy-commands: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await client.destroy();
  }
}
