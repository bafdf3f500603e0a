import { RESTEvents, type APIRequest } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { eventually, startMeeting } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = h;
  h = undefined;
  await done?.close();
});

describe('requests made with an interaction token', () => {
  it("60 forms at once: each deferred, then 'Saved' by an edit that does not go through the bot's capped queue", async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const thread = await startMeeting(harness);
    const { alice } = harness.guild.members;
    const modals = await Promise.all(Array.from({ length: 60 }, () => harness.emu.slash(alice, thread, 'update').waitForAck()));

    const viaBotRest: string[] = [];
    const onResponse = (request: APIRequest): void => {
      viaBotRest.push(request.path);
    };
    harness.bot.client.rest.on(RESTEvents.Response, onResponse);
    const requestsBefore = harness.emu.requests().length;
    const submitted = modals.map((m, i) => harness.emu.submitModal(alice, thread, String(m.data?.custom_id), { bullets: `* form ${i}` }));
    const answers = await Promise.all(submitted.map((s) => s.waitForAnswer()));
    harness.bot.client.rest.off(RESTEvents.Response, onResponse);

    expect(answers.every((a) => a.content.startsWith('Saved.'))).toBe(true);
    const acks = await Promise.all(submitted.map((s) => s.waitForAck()));
    expect(acks.map((a) => a.type)).toEqual(Array.from({ length: 60 }, () => 5));
    const requests = harness.emu.requests().slice(requestsBefore);
    const edits = requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
    expect(edits).toHaveLength(60);
    // Callbacks go through discord.js's burst handler, which the global cap of 50 a second does not apply to.
    expect(viaBotRest.filter((path) => !/^\/interactions\/\d+\/[^/]+\/callback$/.test(path))).toEqual([]);
    // The newest of the 60 forms is the one kept.
    expect((await harness.store.updates.get('hackathon/2022-03-19', alice))?.update.bullets.map((b) => b.text)).toEqual(['form 59']);
  });

  it('a form whose deferral Discord refuses is still saved, and nothing more is sent for it: no edit, no apology', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const thread = await startMeeting(harness);
    const { alice } = harness.guild.members;
    const modal = await harness.emu.slash(alice, thread, 'update').waitForAck();
    const failing = harness.emu.failRoute((r) => r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(r.path), 1, 404);
    const requestsBefore = harness.emu.requests().length;
    harness.emu.submitModal(alice, thread, String(modal.data?.custom_id), { bullets: '* saved unacknowledged' });
    await eventually(async () => (await harness.store.updates.get('hackathon/2022-03-19', alice)) !== undefined);
    // Time for an answer that must not come.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(failing.hits).toBe(1);
    expect(
      harness.emu
        .requests()
        .slice(requestsBefore)
        .map((r) => `${r.method} ${r.status}`),
    ).toEqual(['POST 404']);
    expect((await harness.store.updates.get('hackathon/2022-03-19', alice))?.update.bullets.map((b) => b.text)).toEqual(['saved unacknowledged']);
  });
});
