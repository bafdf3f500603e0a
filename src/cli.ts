/**
 * `scribe <command>`: the one entry point. Each subcommand lives in src/cli/ and returns an exit code;
 * nothing here throws a stack trace at a person.
 */
type Subcommand = (args: string[]) => Promise<number>;

const subcommands: Record<string, { summary: string; load: () => Promise<Subcommand> }> = {
  start: { summary: 'run the bot', load: async () => (await import('./cli/start.ts')).run },
  'deploy-commands': {
    summary: 'register the slash commands (per configured guild, or --global)',
    load: async () => (await import('./cli/deploy-commands.ts')).run,
  },
  check: { summary: 'check notes files: scribe check [--tz ZONE] FILE...', load: async () => (await import('./cli/check.ts')).run },
  parse: { summary: 'print a notes file as the JSON render reads: scribe parse FILE', load: async () => (await import('./cli/parse.ts')).run },
  render: { summary: 'render a meeting given as JSON: scribe render MEETING.json', load: async () => (await import('./cli/render.ts')).run },
};

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, { summary }]) => `  ${name.padEnd(16)} ${summary}`);
  return `usage: scribe <command> [args]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = subcommands[name];
  if (!entry) {
    process.stderr.write(`scribe: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const run = await entry.load();
  return run(rest);
}
