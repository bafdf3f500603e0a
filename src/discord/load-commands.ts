import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import type { CommandModule } from './command.ts';

const COMMANDS_DIR = new URL('../../commands/', import.meta.url);
/** `.ts` from the sources (tests, tsx), `.js` from the build in dist/. */
const EXTENSION = extname(new URL(import.meta.url).pathname);

function isCommandModule(value: unknown): value is CommandModule {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<CommandModule>;
  return typeof candidate.data?.name === 'string' && typeof candidate.execute === 'function' && typeof candidate.ack === 'function';
}

/**
 * Every command module in commands/ (one file per command, default export). The deploy list and the
 * router are both built from this, so a command exists in one place only.
 */
export async function loadCommands(): Promise<CommandModule[]> {
  const files = (await readdir(COMMANDS_DIR)).filter((f) => f.endsWith(EXTENSION) && !f.endsWith('.d.ts')).sort();
  const modules: CommandModule[] = [];
  for (const file of files) {
    const loaded: unknown = (await import(new URL(file, COMMANDS_DIR).href)).default;
    if (!isCommandModule(loaded)) throw new Error(`commands/${file} does not default-export a command module`);
    modules.push(loaded);
  }
  return modules;
}
