import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits as I,
  MessageFlags,
  Routes,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
} from 'discord.js';
import { startEmulator, type Emulator, type SeededGuild } from '../emulator/index.ts';
import { makeClient } from '../emulator/client.ts';

let emu: Emulator;
let g: SeededGuild;
let client: Client;
/** Errors the "bot" in this test got back from discord.js, by command. */
const errors = new Map<string, unknown>();

const NOTES = '---\ndatetime: 2022-03-19T09:00:00+01:00\n---\n\n## Summary of Activities\n';

function updateModal(customId: string, prefill: string): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(customId)
    .setTitle('Your update')
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId('bullets').setLabel('Bullets').setStyle(TextInputStyle.Paragraph).setValue(prefill),
      ),
    );
}

async function handle(i: Interaction): Promise<void> {
  if (i.isAutocomplete()) {
    const typed = i.options.getFocused();
    await i.respond(['alice', 'albert', 'bob'].filter((n) => n.startsWith(typed)).map((n) => ({ name: n, value: n })));
    return;
  }
  if (i.isModalSubmit()) {
    if (i.customId === 'update-modal') {
      await i.reply({ content: `Recorded:\n${i.fields.getTextInputValue('bullets')}`, flags: MessageFlags.Ephemeral });
    } else if (i.customId === 'again-modal') {
      // discord.js offers no showModal() on a modal submit; a bot doing it anyway goes through raw REST.
      await i.client.rest
        .post(Routes.interactionCallback(i.id, i.token), { body: { type: 9, data: updateModal('third-modal', '').toJSON() }, auth: false })
        .catch((e: unknown) => errors.set('again-modal', e));
    }
    return;
  }
  if (!i.isChatInputCommand()) return;
  switch (i.commandName) {
    case 'update':
      await i.showModal(updateModal(i.options.getString('modal') ?? 'update-modal', '* old bullet'));
      return;
    case 'summary':
      await i.deferReply();
      await i.editReply({ content: 'Notes attached', files: [new AttachmentBuilder(Buffer.from(NOTES), { name: '2022-03-19.md' })] });
      await i.followUp({ content: 'Thread archived.' });
      return;
    case 'files':
      await i.reply({ content: 'v1', files: [new AttachmentBuilder(Buffer.from('one'), { name: 'v1.md' })] });
      await i.editReply({ content: 'v2', files: [new AttachmentBuilder(Buffer.from('two'), { name: 'v2.md' })] });
      await i.deferReply().catch((e: unknown) => errors.set('files', e));
      return;
    case 'ephemeral-defer':
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.followUp({ content: 'replaces the thinking message' });
      await i.followUp({ content: 'a real follow-up', flags: MessageFlags.Ephemeral });
      return;
    case 'twice':
      await i.reply('first');
      // discord.js itself refuses a second reply() on the same object; a second handler (or process) would send
      // the callback again through REST, which is what this does.
      await i.client.rest
        .post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'second' } }, auth: false })
        .catch((e: unknown) => errors.set('twice', e));
      return;
    case 'slow':
      await new Promise((r) => setTimeout(r, 3200));
      await i.reply('too late').catch((e: unknown) => errors.set('slow', e));
      return;
  }
}

beforeAll(async () => {
  emu = await startEmulator({ heartbeatIntervalMs: 250 });
  g = emu.seedGuild();
  client = await makeClient(emu, [I.Guilds]);
  client.on(Events.InteractionCreate, (i) => void handle(i));
  await client.application?.commands.set([
    { name: 'update', description: 'Post your update', options: [{ type: 3, name: 'modal', description: 'modal id' }] },
    { name: 'summary', description: 'Compile the notes' },
    { name: 'twice', description: 'Acknowledges twice' },
    { name: 'slow', description: 'Acknowledges late' },
    { name: 'files', description: 'Replies with a file, then replaces it' },
    { name: 'ephemeral-defer', description: 'Defers ephemerally and follows up' },
    { name: 'name', description: 'Set your notes name', options: [{ type: 3, name: 'who', description: 'person', autocomplete: true }] },
  ]);
});
afterAll(async () => {
  await client?.destroy();
  await emu?.close();
});

describe('interactions through discord.js', () => {
  it('answers a slash command with a modal, and the modal submit with an ephemeral reply', async () => {
    const slash = emu.slash(g.members.alice, g.textChannelId, 'update');
    const ack = await slash.waitForAck();
    expect(ack.type).toBe(9);
    expect(ack.accepted).toBe(true);
    console.log(`[emulator] modal ack latency: ${ack.latencyMs.toFixed(1)} ms`);
    expect(emu.shownModal(g.members.alice, 'update-modal')?.['title']).toBe('Your update');

    const submit = emu.submitModal(g.members.alice, g.textChannelId, 'update-modal', { bullets: '* fixed the build' });
    const reply = await submit.waitForAck();
    expect(reply.type).toBe(4);
    expect(reply.message?.ephemeral).toBe(true);
    expect(reply.message?.content).toBe('Recorded:\n* fixed the build');
    // Ephemeral: not visible in the channel.
    expect(emu.messages(g.textChannelId).some((m) => m.id === reply.message?.id)).toBe(false);
    expect(emu.messages(g.textChannelId, { includeEphemeral: true }).some((m) => m.id === reply.message?.id)).toBe(true);
  });

  it('edits a deferred reply with an attached file whose bytes come back, then follows up', async () => {
    const h = emu.slash(g.members.maintainer, g.textChannelId, 'summary');
    expect((await h.waitForAck()).type).toBe(5);
    const edited = await h.waitForEdit((m) => m.attachments.length > 0);
    expect(edited.content).toBe('Notes attached');
    expect(edited.attachments[0]?.filename).toBe('2022-03-19.md');
    expect(edited.attachments[0]?.text()).toBe(NOTES);
    expect(edited.flags & 128).toBe(0);
    // The file is also served over HTTP, like Discord's CDN.
    const url = edited.attachments[0]?.url ?? '';
    expect(await (await fetch(url)).text()).toBe(NOTES);
    const follow = await h.waitForFollowUp();
    expect(follow.content).toBe('Thread archived.');
    expect(emu.messages(g.textChannelId).map((m) => m.id)).toEqual(expect.arrayContaining([edited.id, follow.id]));
  });

  it('keeps each response as it was: a reply with a file, then an edit replacing the file', async () => {
    const h = emu.slash(g.members.bob, g.textChannelId, 'files');
    const ack = await h.waitForAck();
    expect(ack.message?.attachments.map((a) => `${a.filename}:${a.text()}`)).toEqual(['v1.md:one']);
    const edit = await h.waitForEdit();
    expect(edit.attachments.map((a) => `${a.filename}:${a.text()}`)).toEqual(['v2.md:two']);
    expect(h.original()?.content).toBe('v2');
    // discord.js itself refuses to defer an interaction it already replied to.
    await expect.poll(() => (errors.get('files') as Error | undefined)?.name).toMatch(/Error/);
  });

  it('turns the first follow-up after an ephemeral deferral into the reply', async () => {
    const h = emu.slash(g.members.carol, g.textChannelId, 'ephemeral-defer');
    const second = await h.waitForFollowUp((m) => m.content === 'a real follow-up');
    const events = h.events().map((e) => [e.kind, e.message?.content, e.message?.ephemeral]);
    expect(events).toEqual([
      ['callback', '', true],
      ['followup', 'replaces the thinking message', true],
      ['followup', 'a real follow-up', true],
    ]);
    expect(h.followUps().map((m) => m.id)).toEqual([second.id]);
    expect(h.original()?.content).toBe('replaces the thinking message');
  });

  it('serves autocomplete', async () => {
    const h = emu.autocomplete(g.members.bob, g.textChannelId, 'name', { who: 'al' }, 'who');
    const ack = await h.waitForAck();
    expect(ack.type).toBe(8);
    expect(ack.data?.['choices']).toEqual([
      { name: 'alice', value: 'alice' },
      { name: 'albert', value: 'albert' },
    ]);
  });

  it('refuses a second acknowledgement with 40060', async () => {
    const h = emu.slash(g.members.bob, g.textChannelId, 'twice');
    await h.waitFor((e) => e.kind === 'callback' && !e.accepted);
    const second = h.events().filter((e) => e.kind === 'callback');
    expect(second.map((e) => [e.accepted, e.errorCode])).toEqual([
      [true, null],
      [false, 40060],
    ]);
    await expect.poll(() => (errors.get('twice') as DiscordAPIError | undefined)?.code).toBe(40060);
    expect(emu.violations().some((v) => v.kind === 'second-ack' && v.interactionId === h.id)).toBe(true);
  });

  it('records a first response later than 3 s and answers it 10062', async () => {
    const h = emu.slash(g.members.carol, g.textChannelId, 'slow');
    const ack = await h.waitForAck(6000);
    expect(ack.accepted).toBe(false);
    expect(ack.errorCode).toBe(10062);
    expect(ack.latencyMs).toBeGreaterThan(3000);
    const kinds = emu
      .violations()
      .filter((v) => v.interactionId === h.id)
      .map((v) => v.kind);
    expect(kinds).toContain('late-ack');
    expect(kinds).toContain('no-ack');
    await expect.poll(() => (errors.get('slow') as DiscordAPIError | undefined)?.code).toBe(10062);
  }, 10_000);

  it('refuses a modal in answer to a modal submit', async () => {
    await emu.slash(g.members.bob, g.textChannelId, 'update', { modal: 'again-modal' }).waitForAck();
    const h = emu.submitModal(g.members.bob, g.textChannelId, 'again-modal', {});
    const ack = await h.waitForAck();
    expect(ack.type).toBe(9);
    expect(ack.accepted).toBe(false);
    expect(ack.status).toBe(400);
    expect(emu.violations().some((v) => v.kind === 'modal-after-modal')).toBe(true);
    await expect.poll(() => errors.get('again-modal')).toBeInstanceOf(DiscordAPIError);
  });

  it('refuses to drive a modal the bot never showed and an unregistered command', () => {
    expect(() => emu.submitModal(g.members.carol, g.textChannelId, 'update-modal', {})).toThrow(/no modal/);
    expect(() => emu.slash(g.members.carol, g.textChannelId, 'nope')).toThrow(/not registered/);
  });
});

// Last in this file: it empties the logs the tests above read.
describe('forgetHistory', () => {
  it('forgets the logs and the answered interactions with their ephemeral messages, and nothing else', async () => {
    const summary = emu.slash(g.members.maintainer, g.textChannelId, 'summary');
    await summary.waitForFollowUp();
    await emu.slash(g.members.alice, g.textChannelId, 'update').waitForAck();
    const submit = emu.submitModal(g.members.alice, g.textChannelId, 'update-modal', { bullets: '* forgotten soon' });
    const ephemeralId = (await submit.waitForAck()).message?.id ?? '';
    // /name is never answered by this bot; one of them is deferred here, by hand, and left "thinking…".
    const unanswered = emu.slash(g.members.alice, g.textChannelId, 'name');
    const thinking = emu.slash(g.members.bob, g.textChannelId, 'name');
    await client.rest.post(Routes.interactionCallback(thinking.id, thinking.token), { body: { type: 5, data: { flags: 64 } }, auth: false });
    expect(((await thinking.waitForAck()).message?.flags ?? 0) & 128).toBe(128);
    await emu.waitForGateway((e) => e.t === 'INTERACTION_CREATE' && (e.d as { id?: string } | null)?.id === unanswered.id);
    const lastSeq = emu.requests().at(-1)?.seq ?? 0;
    expect(emu.message(ephemeralId)?.ephemeral).toBe(true);

    emu.forgetHistory();

    expect(emu.requests()).toHaveLength(0);
    expect(emu.gatewayLog()).toHaveLength(0);
    expect(emu.interaction(submit.id)).toBeUndefined();
    expect(emu.interaction(summary.id)).toBeUndefined();
    expect(emu.message(ephemeralId)).toBeUndefined();
    expect(emu.messages(g.textChannelId, { includeEphemeral: true }).some((m) => m.id === ephemeralId)).toBe(false);
    // Channel messages are Discord's state, not history.
    expect(emu.messages(g.textChannelId).map((m) => m.content)).toEqual(expect.arrayContaining(['Notes attached', 'Thread archived.']));
    // A forgotten token is refused like an expired one; the unanswered and the thinking ones still work.
    const edit = client.rest.patch(Routes.webhookMessage(emu.applicationId, submit.token), { body: { content: 'too late' }, auth: false });
    await expect(edit).rejects.toMatchObject({ code: 50027, status: 401 });
    expect(emu.interaction(unanswered.id)).toBeDefined();
    await client.rest.post(Routes.interactionCallback(unanswered.id, unanswered.token), { body: { type: 4, data: { content: 'known' } }, auth: false });
    expect((await unanswered.waitForAck()).accepted).toBe(true);
    await client.rest.patch(Routes.webhookMessage(emu.applicationId, thinking.token), { body: { content: 'done thinking' }, auth: false });
    expect(thinking.original()?.content).toBe('done thinking');
    expect(emu.requests().map((r) => r.seq)).toEqual([lastSeq + 1, lastSeq + 2, lastSeq + 3]);
  });
});
