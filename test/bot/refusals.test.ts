// The harness's close is where every end-to-end test asserts that Discord (the emulator) refused nothing
// the test did not provoke on purpose: it must fail when it should.
import { Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest, Violation } from '../emulator/core.ts';
import { startHarness, type Harness } from './harness.ts';
import { refusalProblems, unrecordedRefusals } from './refusals.ts';

let h: Harness | undefined;
afterEach(async () => {
  const done = h;
  h = undefined;
  await done?.close();
});

const violation = (kind: string, method: string | null, path: string | null): Violation => ({
  kind,
  message: kind,
  method,
  path,
  interactionId: null,
  at: 0,
});

describe('what a test declares against what the emulator recorded', () => {
  const archived = violation('archived-thread', 'PATCH', '/channels/1/messages/2');
  const limited = violation('rate-limited', 'POST', '/channels/1/messages');

  it('nothing recorded, nothing declared: no problem', () => {
    expect(refusalProblems([], [])).toEqual([]);
  });

  it('an undeclared violation is a problem, named with its route', () => {
    const problems = refusalProblems([archived], []);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('archived-thread (PATCH /channels/1/messages/2)');
  });

  it('a declared one is allowed only on its route, and must have happened', () => {
    expect(refusalProblems([archived], [{ kind: 'archived-thread', route: 'PATCH /channels/1/', because: 'test' }])).toEqual([]);
    expect(refusalProblems([archived], [{ kind: 'archived-thread', route: /^POST /, because: 'test' }])).toHaveLength(2);
    expect(refusalProblems([], [{ kind: 'archived-thread', because: 'the thread is archived' }])).toEqual([
      'expected at least 1 archived-thread (the thread is archived), saw 0',
    ]);
    expect(refusalProblems([], [{ kind: 'rate-limited', because: 'maybe', atLeast: 0 }])).toEqual([]);
  });

  it('atMost bounds how many', () => {
    expect(refusalProblems([limited, limited], [{ kind: 'rate-limited', because: 'a burst', atMost: 1 }])).toEqual([
      'expected at most 1 rate-limited (a burst), saw 2',
    ]);
  });
});

describe('refusals the emulator answered without recording them (a bug of the emulator)', () => {
  const request = (method: string, path: string, status: number, fault: RecordedRequest['fault'] = null): RecordedRequest => ({
    seq: 1,
    method,
    path,
    query: {},
    headers: {},
    body: undefined,
    files: [],
    route: null,
    status,
    response: { code: 0 },
    fault,
    startedAt: 0,
    finishedAt: 0,
  });
  const emulatorWith = (requests: RecordedRequest[], violations: Violation[]) => ({ requests: () => requests, violations: () => violations });

  it('a 4xx with its violation, a 5xx, an injected fault and a success are fine', () => {
    const refused = request('POST', '/channels/1/messages', 403);
    expect(
      unrecordedRefusals(
        emulatorWith(
          [refused, request('GET', '/x', 500), request('GET', '/y', 429, 'rate-limit'), request('GET', '/z', 200)],
          [violation('missing-permissions', 'POST', '/channels/1/messages')],
        ),
      ),
    ).toEqual([]);
  });

  it('a 4xx without one is reported; a refused acknowledgement counts by its interaction', () => {
    const problems = unrecordedRefusals(emulatorWith([request('PATCH', '/channels/1', 400), request('POST', '/interactions/7/tok/callback', 400)], []));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('the emulator refused 2 request(s) without recording them');
    const ack = { ...violation('second-ack', null, null), interactionId: '7' };
    expect(unrecordedRefusals(emulatorWith([request('POST', '/interactions/7/tok/callback', 400)], [ack]))).toEqual([]);
  });
});

describe("the harness's close", () => {
  // Listing a guild's members needs the GuildMembers intent, which Scribe does not have: 403, 50001.
  const listMembers = (harness: Harness) => harness.bot.client.rest.get(Routes.guildMembers(harness.guild.guildId));

  it('fails when the bot was refused something the test did not declare, and still frees everything', async () => {
    const harness = await startHarness({ now: '2022-03-19T08:00:00Z' });
    await expect(listMembers(harness)).rejects.toThrow(/Missing Access/);
    await expect(harness.close()).rejects.toThrow(/missing-access \(GET \/guilds\/\d+\/members\)/);
    // The emulator is closed all the same.
    await expect(fetch(`${harness.emu.restUrl}/gateway`)).rejects.toThrow();
  });

  it('passes when the test declared the refusal it provoked', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    h.expectRefusal({ kind: 'missing-access', route: '/members', because: 'listing members without the GuildMembers intent' });
    await expect(listMembers(h)).rejects.toThrow(/Missing Access/);
  });

  it('fails when a declared refusal did not happen', async () => {
    const harness = await startHarness({
      now: '2022-03-19T08:00:00Z',
      expectRefusals: [{ kind: 'missing-permissions', because: 'a refusal this test never provokes' }],
    });
    await expect(harness.close()).rejects.toThrow('expected at least 1 missing-permissions (a refusal this test never provokes), saw 0');
  });
});
