/**
 * Gateway faults in the middle of a meeting. `/update text:` appends a bullet, so an interaction the bot
 * handled twice would show as two bullets, and one it never saw as none: "exactly once" is visible in
 * the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../emulator/index.ts';
import { eventually, startMeeting } from '../bot/steps.ts';
import { startFaultHarness, type FaultHarness } from './harness.ts';

let h: FaultHarness | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = h;
  h = undefined;
  await done?.close();
});

const KEY = 'hackathon/2022-03-19';

function identifies(harness: FaultHarness): number {
  return harness.emu.gatewayLog().filter((e) => e.dir === 'in' && e.op === 2).length;
}

function resumes(harness: FaultHarness): number {
  return harness.emu.gatewayLog().filter((e) => e.dir === 'in' && e.op === 6).length;
}

describe('a burst of 50 updates across a gateway fault', () => {
  it.each([
    ['close 4000', (harness: FaultHarness) => harness.emu.closeGateway(4000)],
    ['op 7 RECONNECT', (harness: FaultHarness) => harness.emu.sendReconnect()],
  ])('%s after the 25th: all 50 recorded exactly once, every interaction answered once', async (_fault, fault) => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const thread = await startMeeting(harness);
    const people = Array.from({ length: 50 }, (_, i) => harness.emu.addMember(harness.guild.guildId, { username: `member${i}`, globalName: `Member ${i}` }));
    const identifiesBefore = identifies(harness);
    const resumesBefore = resumes(harness);

    const handles: InteractionHandle[] = [];
    for (const [i, userId] of people.entries()) {
      handles.push(harness.emu.slash(userId, thread, 'update', { text: `update number ${i}` }));
      if (i === 24) expect(fault(harness)).toBe(1);
    }
    const replies = await Promise.all(handles.map((x) => x.waitForAnswer(undefined, 15_000)));
    // The bot may answer all 50 before it gets round to reconnecting: what is checked below holds once
    // the session has been resumed and whatever it replays has been handled.
    await harness.emu.waitForGateway((e) => e.dir === 'out' && e.t === 'RESUMED', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));

    for (const reply of replies) expect(reply.content).toMatch(/^Saved\. Your update, as it will appear in the notes:/);
    // Each interaction got exactly one initial response (a second would be a 40060 violation).
    for (const x of handles) expect(x.events().filter((e) => e.kind === 'callback')).toHaveLength(1);
    const stored = await harness.store.updates.list(KEY);
    expect(stored).toHaveLength(50);
    for (const [i, userId] of people.entries()) {
      const record = stored.find((u) => u.userId === userId);
      expect(record?.update.bullets.map((b) => b.text)).toEqual([`update number ${i}`]);
    }
    // The session was resumed, not re-identified: the fault really happened and was recovered from.
    expect(resumes(harness)).toBeGreaterThan(resumesBefore);
    expect(identifies(harness)).toBe(identifiesBefore);
    expect(harness.emu.violations()).toEqual([]);
  });
});

describe('a new session after op 9 or close 1000', () => {
  it('re-IDENTIFIES and re-seeds voice attendance from GUILD_CREATE, whatever voice changes it missed', async () => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z', voice: true });
    const harness = h;
    const { alice, bob, carol } = harness.guild.members;
    const { guildId, voiceChannelId } = harness.guild;
    await startMeeting(harness);
    const present = async () =>
      ((await harness.store.attendance.get(KEY))?.attendees ?? [])
        .filter((a) => a.intervals.some((i) => i.to === undefined))
        .map((a) => a.userId)
        .sort();
    await eventually(async () => (await present()).join() === [alice].join());

    // Changes the bot never hears of as events: only the next GUILD_CREATE's voice_states tell of them.
    const silently = (leaving: string, joining: string) => {
      const state = harness.emu.state.voiceStates.get(`${guildId}:${leaving}`);
      if (!state) throw new Error(`${leaving} is not in voice`);
      harness.emu.state.voiceStates.delete(`${guildId}:${leaving}`);
      harness.emu.state.voiceStates.set(`${guildId}:${joining}`, { ...state, userId: joining, channelId: voiceChannelId, sessionId: `s-${joining}` });
    };

    const before9 = identifies(harness);
    silently(alice, bob);
    expect(harness.emu.sendInvalidSession(false)).toBe(1);
    await eventually(() => identifies(harness) === before9 + 1, 10_000);
    await eventually(async () => (await present()).join() === [bob].join(), 10_000);

    const before1000 = identifies(harness);
    silently(bob, carol);
    expect(harness.emu.closeGateway(1000)).toBe(1);
    await eventually(() => identifies(harness) === before1000 + 1, 10_000);
    await eventually(async () => (await present()).join() === [carol].join(), 10_000);

    // The GUILD_CREATE of each new session carried the voice states the attendance now shows.
    const guildCreates = harness.emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'GUILD_CREATE');
    expect(guildCreates.length).toBeGreaterThanOrEqual(3);
    const attendance = (await harness.store.attendance.get(KEY))?.attendees ?? [];
    // Alice's and Bob's presence was closed when the re-seed found them gone; nobody was added twice.
    expect(attendance.map((a) => a.userId).sort()).toEqual([alice, bob, carol].sort());
    for (const a of attendance) expect(a.intervals).toHaveLength(1);
    // Wait for the client to settle before the harness destroys it (see the emulator README).
    await eventually(() => harness.bot.client.ws.status === 0);
    expect(harness.emu.violations()).toEqual([]);
  });
});
