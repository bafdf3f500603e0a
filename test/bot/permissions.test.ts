import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { run, startMeeting } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = h;
  h = undefined;
  await done?.close();
});

describe('maintainer-only commands', () => {
  it('are registered with default_member_permissions, and refused on use to members without a maintainer role', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { bob, alice } = h.guild.members;
    const registered = h.emu.commands(h.guild.guildId);
    for (const name of ['summary', 'meeting']) {
      expect(registered.find((c) => c.body['name'] === name)?.body['default_member_permissions']).toBe('17179869184');
    }
    // A server admin may open any command to everyone; Scribe still checks on use.
    h.emu.allowCommandForEveryone(h.guild.guildId, 'summary');
    h.emu.allowCommandForEveryone(h.guild.guildId, 'meeting');

    const refusals = [
      await run(h, bob, thread, 'summary'),
      await run(h, bob, thread, 'summary', { preview: true }),
      await run(h, bob, h.guild.textChannelId, 'meeting start'),
      await run(h, bob, thread, 'meeting end'),
      await run(h, bob, thread, 'meeting status'),
      await run(h, bob, thread, 'update', { text: 'on behalf of alice', for: alice }),
    ];
    for (const reply of refusals) {
      expect(reply.content).toMatch(/^Only the meeting's maintainers can /);
      expect(reply.flags & 64).toBe(64);
    }
    // Nothing happened: no notes posted, no update recorded for alice, the meeting still open.
    expect(h.emu.messages(thread).filter((m) => m.attachments.length > 0)).toHaveLength(0);
    expect(await h.store.updates.get('hackathon/2022-03-19', alice)).toBeUndefined();
    expect((await h.store.meetings.get('hackathon/2022-03-19'))?.status).toBe('open');
  });

  it("lets a maintainer give an update for another member, under that member's name", async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    const { maintainer, alice } = h.guild.members;
    const reply = await run(h, maintainer, thread, 'update', { text: 'added by a maintainer', for: alice });
    expect(reply.content).toMatch(/^Saved\. .+'s update, as it will appear in the notes:/);
    const stored = await h.store.updates.get('hackathon/2022-03-19', alice);
    expect(stored?.authorId).toBe(maintainer);
    expect(stored?.update.bullets.map((b) => b.text)).toEqual(['added by a maintainer']);
  });
});
