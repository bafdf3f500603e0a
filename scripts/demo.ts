// `npm run demo`: Scribe's main job with no Discord account. Starts the local Discord API emulator,
// runs the real `scribe start` against it as a child process, plays a short meeting (people join
// voice, give updates through the /update form, a maintainer runs /summary) and prints the notes
// Scribe posted. `npm run demo -- --template discussion` plays a working-group meeting instead: an
// agenda, notes under topics, a task and a decision.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator } from '../test/emulator/index.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SCRIBE = join(ROOT, 'bin/scribe.mjs');

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`Scribe was not ready within ${timeoutMs} ms`)), timeoutMs);
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      if (/"msg":"ready"/.test(buffered)) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Scribe exited with code ${String(code)} before it was ready`));
    });
  });
}

async function giveUpdate(emu: Emulator, userId: string, channelId: string, text: string): Promise<string> {
  const form = await emu.slash(userId, channelId, 'update').waitForAck();
  if (form.type !== 9) throw new Error(`expected the /update form, got callback type ${form.type}`);
  const reply = await emu.submitModal(userId, channelId, String(form.data?.custom_id), { bullets: text }).waitForEdit();
  return reply.content;
}

const template = process.argv.includes('--template') ? process.argv[process.argv.indexOf('--template') + 1] : 'activities';
if (template !== 'activities' && template !== 'discussion') {
  process.stderr.write(`--template is activities or discussion, not ${String(template)}\n`);
  process.exit(2);
}

async function giveNote(emu: Emulator, userId: string, channelId: string, note: string, topic: string): Promise<string> {
  const form = await emu.slash(userId, channelId, 'update').waitForAck();
  if (form.type !== 9) throw new Error(`expected the note form, got callback type ${form.type}`);
  const reply = await emu.submitModal(userId, channelId, String(form.data?.custom_id), { note, topic }).waitForEdit();
  return reply.content;
}

const emu = await startEmulator({ heartbeatIntervalMs: 10_000 });
const guild = emu.seedGuild({ voice: false });
const dir = mkdtempSync(join(tmpdir(), 'scribe-demo-'));
const config = join(dir, 'scribe.yaml');
writeFileSync(
  config,
  `series:
  - id: ${template === 'discussion' ? 'vmm' : 'hackathon'}
    guild: "${guild.guildId}"
    voiceChannel: "${guild.voiceChannelId}"
    textChannel: "${guild.textChannelId}"
    timeZone: Europe/Berlin
    open: "0 9 * * 6"
    durationMinutes: 240
${
  template === 'discussion'
    ? `    threadName: "VMM WG {yyyy}-{mm}-{dd}"
    teams: [vmm]
    template: discussion
    title: "VMM WG"
    tags: [unikraft, vmm]`
    : `    threadName: "Hackathon {yyyy}-{mm}-{dd}"
    teams: [community]`
}
    location: "Online, Discord (https://bit.ly/UnikraftDiscord), the \`#{voiceChannelName}\` voice channel"
    maintainerRoles: ["${guild.maintainerRoleId}"]
    minPresenceMinutes: 0
    notesPath: "${template === 'discussion' ? 'discussions/vmm' : 'hackathons/{yyyy}'}/{yyyy}-{mm}-{dd}.md"
`,
);
const env = {
  ...process.env,
  DISCORD_TOKEN: emu.token,
  DISCORD_API_URL: emu.restUrl,
  STORE_URL: `sqlite://${join(dir, 'scribe.sqlite')}`,
  SCRIBE_CONFIG: config,
  LOG_LEVEL: 'info', // read for the "ready" line, not shown
};

let child: ChildProcess | undefined;
try {
  say(`Discord API emulator at ${emu.restUrl}; guild ${guild.guildId}`);
  // Asynchronously: the emulator answers from this very process.
  const deployed = await promisify(execFile)(process.execPath, [SCRIBE, 'deploy-commands'], { env, encoding: 'utf8' });
  say(`$ scribe deploy-commands\n${deployed.stdout.trim()}`);

  child = spawn(process.execPath, [SCRIBE, 'start'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await waitForReady(child, 20_000);
  say('$ scribe start   (ready)');

  const { maintainer, alice, bob, carol } = guild.members;
  const names: [string, string][] = [
    [alice, 'AliceA'],
    [bob, 'BobB'],
    [carol, 'CarolC'],
  ];
  const opened = await emu.slash(maintainer, guild.textChannelId, 'meeting start').waitForEdit();
  say(`maintainer: /meeting start → ${opened.content}`);
  const thread = /<#(\d+)>/.exec(opened.content)?.[1];
  if (thread === undefined) throw new Error('no meeting thread');

  for (const [id, name] of names) {
    await emu.slash(id, thread, 'name set', { name }).waitForEdit();
    emu.voiceJoin(id, guild.voiceChannelId);
  }
  say('AliceA, BobB and CarolC set their names and join the voice channel');

  if (template === 'discussion') {
    for (const item of ['Status update', 'Next steps']) await emu.slash(maintainer, thread, 'agenda add', { text: item }).waitForEdit();
    say('maintainer: /agenda add "Status update", /agenda add "Next steps"');
    say(
      `\nAliceA submits the note form (topic Hyper-V):\n${await giveNote(emu, alice, thread, 'Stuck in the sample part.\nI started allocating different sizes.', 'Hyper-V')}`,
    );
    const bobNote = await emu.slash(bob, thread, 'update', { text: 'I got `vmxnet3` going.', topic: 'VMware' }).waitForEdit();
    say(`\nBobB: /update text:… topic: VMware →\n${bobNote.content}`);
    say(
      `\nCarolC submits the note form (topic VMware):\n${await giveNote(emu, carol, thread, 'Does it work on QEMU only?\nPCI support is only there so far.', 'VMware')}`,
    );
    const task = await emu.slash(maintainer, thread, 'task', { text: 'Make it work with Unikraft 0.13.', owner: alice, owner2: bob }).waitForEdit();
    say(`\nmaintainer: /task owner: AliceA owner2: BobB →\n${task.content}`);
    const decision = await emu.slash(maintainer, thread, 'decision', { text: 'Hyper-V work moves to its own repository.' }).waitForEdit();
    say(`\nmaintainer: /decision →\n${decision.content}`);
  } else {
    say(
      `\nAliceA submits the /update form:\n${await giveUpdate(emu, alice, thread, '* Reviewed the PL031 PR[1]\n* Fixed the arm64 build\n  (it needed a newer toolchain)\n[1]: https://github.com/unikraft/unikraft/pull/316')}`,
    );
    say(
      `\nBobB submits the /update form:\n${await giveUpdate(emu, bob, thread, '- Ported app-sqlite to the new build system[1]\n[1]: https://github.com/unikraft/app-sqlite/pull/3')}`,
    );
    const added = await emu.slash(carol, thread, 'update', { text: 'Tried Nginx on Xen; stuck on the bridge setup' }).waitForEdit();
    say(`\nCarolC: /update text:… →\n${added.content}`);
  }

  const summary = await emu.slash(maintainer, thread, 'summary').waitForEdit();
  say(`\nmaintainer: /summary → ${summary.content}`);
  const file = emu
    .messages(thread)
    .filter((m) => m.attachments.length > 0)
    .at(-1)?.attachments[0];
  if (!file) throw new Error('no notes file was posted');
  say(`\n===== ${file.filename}, as posted in the thread =====\n${file.text()}===== end =====`);
  const violations = emu.violations();
  say(violations.length === 0 ? 'The emulator saw nothing Discord would refuse.' : `Discord would have refused: ${JSON.stringify(violations)}`);
} finally {
  child?.kill('SIGTERM');
  if (child && child.exitCode === null) await new Promise((r) => child?.once('exit', r));
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
}
