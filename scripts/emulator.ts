// Starts a Discord API emulator and seeds a guild, so the bot can be run against it by hand:
//   node bin/run-ts.mjs scripts/emulator.ts [--port 8989] [--heartbeat 41250] [--shards 1]
// then start the bot with DISCORD_API_URL=<REST URL printed> and DISCORD_TOKEN=<token printed>.
import { parseArgs } from 'node:util';
import { startEmulator } from '../test/emulator/index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8989' },
    heartbeat: { type: 'string', default: '41250' },
    shards: { type: 'string', default: '1' },
    token: { type: 'string' },
  },
});

const emulator = await startEmulator({
  port: Number(values.port),
  heartbeatIntervalMs: Number(values.heartbeat),
  shards: Number(values.shards),
  ...(values.token ? { token: values.token } : {}),
  // By hand there is no test to register commands first; let any slash name through.
  strictCommands: false,
});
const seeded = emulator.seedGuild();

const out = {
  restUrl: emulator.restUrl,
  gatewayUrl: emulator.gatewayUrl,
  token: emulator.token,
  applicationId: emulator.applicationId,
  botUserId: emulator.botUserId,
  guild: seeded,
};
process.stdout.write(`Discord API emulator listening\n${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`Run the bot with DISCORD_API_URL=${emulator.restUrl} DISCORD_TOKEN=${emulator.token}\n`);

// A small console to act as the seeded users while the bot runs against the emulator.
const HELP = `commands (members: maintainer, alice, bob, carol; channel defaults to the text channel):
  slash <member> <command> [sub] [key=value …]   e.g. slash alice update text="fixed the build"
  modal <member> <customId> [field=value …]      submit the last modal the bot showed that member
  join|move <member> [voice|breakout]  ·  leave <member>
  say <member> <text…>  ·  messages [channelId]  ·  threads  ·  violations  ·  requests  ·  help`;
process.stdout.write(`${HELP}\n> `);

const member = (name: string | undefined): string => {
  const id = seeded.members[name as keyof typeof seeded.members];
  if (!id) throw new Error(`unknown member ${String(name)}`);
  return id;
};
const keyValues = (args: string[]): Record<string, string | number | boolean> => {
  const out: Record<string, string | number | boolean> = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    const k = a.slice(0, eq);
    const raw = a.slice(eq + 1).replace(/^"(.*)"$/s, '$1');
    out[k] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) && raw.length < 15 ? Number(raw) : raw;
  }
  return out;
};
const show = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof Set ? [...x] : x), 2)}\n`);
};
const words = (line: string): string[] => [...line.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0]);

process.stdin.setEncoding('utf8');
let buffered = '';
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  let nl: number;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, nl).trim();
    buffered = buffered.slice(nl + 1);
    try {
      const [cmd, ...args] = words(line);
      const voiceOf = (n: string | undefined): string => (n === 'breakout' ? seeded.otherVoiceChannelId : seeded.voiceChannelId);
      switch (cmd) {
        case undefined:
          break;
        case 'slash': {
          const names = args.slice(1).filter((a) => !a.includes('='));
          const h = emulator.slash(member(args[0]), seeded.textChannelId, names.join(' '), keyValues(args.slice(1).filter((a) => a.includes('='))));
          void h.response.then((r) => show({ interaction: h.id, callback: r.type, accepted: r.accepted, latencyMs: Math.round(r.latencyMs), data: r.data }));
          break;
        }
        case 'modal': {
          const fields = Object.fromEntries(Object.entries(keyValues(args.slice(2))).map(([k, v]) => [k, String(v)]));
          const h = emulator.submitModal(member(args[0]), seeded.textChannelId, args[1] ?? '', fields);
          void h.response.then((r) => show({ interaction: h.id, callback: r.type, accepted: r.accepted, data: r.data }));
          break;
        }
        case 'join':
          emulator.voiceJoin(member(args[0]), voiceOf(args[1]));
          break;
        case 'move':
          emulator.voiceMove(member(args[0]), voiceOf(args[1]));
          break;
        case 'leave':
          emulator.voiceLeave(member(args[0]), seeded.guildId);
          break;
        case 'say':
          emulator.userMessage(member(args[0]), seeded.textChannelId, args.slice(1).join(' '));
          break;
        case 'messages':
          show(
            emulator.messages(args[0] ?? seeded.textChannelId, { includeEphemeral: true }).map((m) => ({
              id: m.id,
              content: m.content,
              ephemeral: m.ephemeral,
              attachments: m.attachments.map((a) => ({ filename: a.filename, text: a.text() })),
            })),
          );
          break;
        case 'threads':
          show(emulator.threads().map((t) => ({ id: t.id, name: t.name, parentId: t.parentId, ...t.thread, messages: emulator.messages(t.id).length })));
          break;
        case 'violations':
          show(emulator.violations());
          break;
        case 'requests':
          show(emulator.requests().map((r) => `${r.status} ${r.method} ${r.path}`));
          break;
        default:
          process.stdout.write(`${HELP}\n`);
      }
    } catch (err) {
      process.stdout.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.stdout.write('> ');
  }
});

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
