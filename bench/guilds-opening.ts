/**
 * The many-guilds benchmark's second part: every series opens at the same minute, under the emulator's
 * rate limits (Discord's global 50 requests a second). While the meetings open, one member in each of
 * `updates` guilds gives `/update text:` in its thread as soon as the thread exists. Times are taken
 * from that minute; the emulator stamps every message and thread it creates.
 */
import type { Emulator } from '../test/emulator/index.ts';
import { openStore } from '../src/store/index.ts';
import { sleep } from './bot-process.ts';
import { outcomeOf, type Outcome } from './drive.ts';
import type { SmallGuild } from './guilds-world.ts';
import { distribution, type Distribution } from './stats.ts';

const POLL_MS = 25;
const WELCOME_POLL_MS = 250;
const ANSWER_WAIT_MS = 240_000;

export interface UpdateOutcome extends Outcome {
  readonly guild: number;
  /** The minute → the benchmark saw the thread and sent the update. */
  readonly sentAtMs: number;
  readonly stored: boolean;
}

export interface OpeningResults {
  readonly guilds: number;
  /** 2 requests an opening at 50 a second. */
  readonly floorMs: number;
  /** Guilds with exactly one thread and one welcome in it. */
  readonly openedOnce: number;
  readonly withoutThread: number;
  readonly withoutWelcome: number;
  readonly twice: number;
  /** The minute → each thread's creation, each welcome's post. */
  readonly threadAt: Distribution;
  readonly welcomeAt: Distribution;
  readonly requestsByRoute: Record<string, number>;
  readonly rateLimited: number;
  readonly violations: Record<string, number>;
  readonly updates: readonly UpdateOutcome[];
}

/** Waits until `minute`, then watches the openings until every welcome is posted or `timeoutMs` after the minute. */
export async function watchOpenings(
  emu: Emulator,
  guilds: readonly SmallGuild[],
  opts: { minute: Date; updates: number; timeoutMs: number; storeUrl: string; tag: string; log: (line: string) => void },
): Promise<OpeningResults> {
  const t0 = opts.minute.getTime();
  const step = Math.max(1, Math.floor(guilds.length / Math.max(1, opts.updates)));
  const updating = new Set(guilds.map((_, i) => i).filter((i) => i % step === 0 && i / step < opts.updates));
  const guildOfChannel = new Map(guilds.map((g, i) => [g.textChannelId, i]));
  const threadOf = new Map<number, string>();
  const welcomed = new Set<number>();
  const pending: Promise<UpdateOutcome>[] = [];
  const requestsBefore = emu.requests().length;

  await sleep(Math.max(0, t0 - Date.now()));
  opts.log(`the minute: ${guilds.length} meetings due; ${updating.size} members give /update as soon as their thread exists`);
  let lastWelcomePoll = 0;
  let lastProgress = Date.now();
  while (welcomed.size < guilds.length && Date.now() - t0 < opts.timeoutMs) {
    for (const thread of emu.threads()) {
      const i = thread.parentId === null ? undefined : guildOfChannel.get(thread.parentId);
      if (i === undefined || threadOf.has(i)) continue;
      threadOf.set(i, thread.id);
      const g = guilds[i];
      if (g && updating.has(i)) pending.push(giveUpdate(emu, g, i, thread.id, Date.now() - t0, opts.tag));
    }
    if (Date.now() - lastWelcomePoll >= WELCOME_POLL_MS) {
      lastWelcomePoll = Date.now();
      for (const [i, threadId] of threadOf) if (!welcomed.has(i) && welcomesIn(emu, threadId) > 0) welcomed.add(i);
    }
    if (Date.now() - lastProgress >= 10_000) {
      lastProgress = Date.now();
      opts.log(`+${((Date.now() - t0) / 1000).toFixed(0)} s: ${threadOf.size} threads, ${welcomed.size} welcomes, ${pending.length} updates sent`);
    }
    await sleep(POLL_MS);
  }
  const updates = await Promise.all(pending);
  // Late duplicates would show up here: a second thread or welcome posted after the last first one.
  await sleep(3000);
  const stored = await storedUpdates(opts.storeUrl, guilds, updates, threadOf, opts.tag);
  return summariseOpenings(
    emu,
    guilds,
    t0,
    requestsBefore,
    updates.map((u) => ({ ...u, stored: stored.has(u.guild) })),
  );
}

function welcomesIn(emu: Emulator, threadId: string): number {
  return emu.messages(threadId).filter((m) => m.authorId === emu.botUserId && m.content.startsWith('Welcome!')).length;
}

async function giveUpdate(emu: Emulator, g: SmallGuild, i: number, threadId: string, sentAtMs: number, tag: string): Promise<UpdateOutcome> {
  // Saved may wait for the rest of the opening (the welcome waits its turn in the global limit): minutes.
  const outcome = await outcomeOf(emu.slash(g.aliceId, threadId, 'update', { text: `Benchmarked the openings (${tag} ${i})` }), ANSWER_WAIT_MS);
  return { ...outcome, guild: i, sentAtMs, stored: false };
}

/** Guild indexes whose member's update is in the store, in the meeting of the guild's thread. */
async function storedUpdates(
  storeUrl: string,
  guilds: readonly SmallGuild[],
  updates: readonly UpdateOutcome[],
  threadOf: ReadonlyMap<number, string>,
  tag: string,
): Promise<Set<number>> {
  const store = await openStore(storeUrl);
  const found = new Set<number>();
  try {
    for (const u of updates) {
      const threadId = threadOf.get(u.guild);
      const key = threadId === undefined ? undefined : await store.meetings.byThread(threadId);
      if (key === undefined) continue;
      const alice = guilds[u.guild]?.aliceId;
      const mine = (await store.updates.list(key)).filter((r) => r.userId === alice);
      if (mine.some((r) => JSON.stringify(r.update).includes(`${tag} ${u.guild})`))) found.add(u.guild);
    }
  } finally {
    await store.close();
  }
  return found;
}

function summariseOpenings(emu: Emulator, guilds: readonly SmallGuild[], t0: number, requestsBefore: number, updates: UpdateOutcome[]): OpeningResults {
  const threadsByParent = new Map<string, string[]>();
  const threadAt: number[] = [];
  for (const t of emu.threads()) {
    if (t.parentId === null) continue;
    threadsByParent.set(t.parentId, [...(threadsByParent.get(t.parentId) ?? []), t.id]);
    threadAt.push(Date.parse(t.thread?.createTimestamp ?? '') - t0);
  }
  let openedOnce = 0;
  let withoutThread = 0;
  let withoutWelcome = 0;
  let twice = 0;
  const welcomeAt: number[] = [];
  for (const g of guilds) {
    const threads = threadsByParent.get(g.textChannelId) ?? [];
    const welcomes = threads.flatMap((id) => emu.messages(id)).filter((m) => m.authorId === emu.botUserId && m.content.startsWith('Welcome!'));
    welcomeAt.push(...welcomes.map((m) => Date.parse(m.createdAt) - t0));
    if (threads.length === 0) withoutThread += 1;
    else if (welcomes.length === 0) withoutWelcome += 1;
    if (threads.length > 1 || welcomes.length > 1) twice += 1;
    if (threads.length === 1 && welcomes.length === 1) openedOnce += 1;
  }
  const requestsByRoute: Record<string, number> = {};
  let rateLimited = 0;
  for (const r of emu.requests().slice(requestsBefore)) {
    const route = r.route ?? `unknown ${r.method} ${r.path}`;
    requestsByRoute[route] = (requestsByRoute[route] ?? 0) + 1;
    if (r.status === 429) rateLimited += 1;
  }
  const violations: Record<string, number> = {};
  for (const v of emu.violations()) violations[v.kind] = (violations[v.kind] ?? 0) + 1;
  return {
    guilds: guilds.length,
    floorMs: (guilds.length * 2 * 1000) / 50,
    openedOnce,
    withoutThread,
    withoutWelcome,
    twice,
    threadAt: distribution(threadAt),
    welcomeAt: distribution(welcomeAt),
    requestsByRoute,
    rateLimited,
    violations,
    updates,
  };
}
