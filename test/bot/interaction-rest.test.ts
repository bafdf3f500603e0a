import { RESTEvents, type APIRequest } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { isInteractionWebhook } from '../../src/discord/client.ts';
import { startHarness, type Harness } from './harness.ts';
import { startMeeting } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('requests made with an interaction token', () => {
  it('are told apart from the bot-authenticated ones and from other webhooks', () => {
    const app = '900000000000000001';
    expect(isInteractionWebhook({ auth: false, fullRoute: `/webhooks/${app}/tok/messages/@original` }, app)).toBe(true);
    expect(isInteractionWebhook({ auth: false, fullRoute: `/webhooks/${app}/tok` }, app)).toBe(true);
    // A channel webhook has an id of its own, and its sends count against the caller as usual.
    expect(isInteractionWebhook({ auth: false, fullRoute: '/webhooks/900000000000000002/tok' }, app)).toBe(false);
    expect(isInteractionWebhook({ auth: true, fullRoute: `/webhooks/${app}/tok/messages/@original` }, app)).toBe(false);
    expect(isInteractionWebhook({ auth: false, fullRoute: `/webhooks/${app}/tok` }, undefined)).toBe(false);
    expect(isInteractionWebhook({ fullRoute: `/channels/${app}/messages` }, app)).toBe(false);
  });

  it("do not draw on the bot's global request allowance: 60 'Saved' edits go through the interactions' own REST", async () => {
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
    const editsBefore = harness.emu.requests().filter((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original')).length;
    const answers = await Promise.all(modals.map((m, i) => harness.emu.submitModal(alice, thread, String(m.data?.custom_id), { bullets: `* form ${i}` }).waitForEdit()));
    harness.bot.client.rest.off(RESTEvents.Response, onResponse);

    expect(answers.every((a) => a.content.startsWith('Saved.'))).toBe(true);
    const edits = harness.emu.requests().filter((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original')).length - editsBefore;
    expect(edits).toBe(60);
    expect(viaBotRest.filter((path) => path.startsWith('/webhooks/'))).toEqual([]);
    // The newest of the 60 forms is the one kept.
    expect((await harness.store.updates.get('hackathon/2022-03-19', alice))?.update.bullets.map((b) => b.text)).toEqual(['form 59']);
  });
});
