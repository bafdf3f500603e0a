/**
 * `npm run bench:summary`: how long `/summary` takes under the emulator's Discord limits (rate limits and
 * the channel's 5 messages per 5 s on, content trimmed), for the seed meeting (hackathon-2022-03-19.md,
 * twelve people), a meeting whose notes take the most messages there are (5), and a meeting of 200
 * people (one short message with the file); and, as the worst case of the channel's limit, a revision
 * of 5 messages posted right after another of 5 (one late update between them). Scribe runs in this process as the end-to-end tests run it
 * (test/bot/harness.ts). Each run is a fresh emulator, store and meeting; the thread is left quiet for
 * 6 s before `/summary`, as it is at the end of a meeting, so the measurement starts with the channel's
 * message limit unused. Time: INTERACTION_CREATE sent → the final answer ("Posted revision 1…"), at the
 * emulator; also → the last notes message stored.
 *
 *   npm run bench:summary -- [--runs 3] [--people 200] [--bullets 2]
 */
import { parseArgs } from 'node:util';
import { parseUpdate } from '../src/notes/bullets.ts';
import { startHarness, type Harness } from '../test/bot/harness.ts';
import { gatherCrowd } from '../test/bot/seed-meeting-crowd.ts';
import { readExample, seedPeople } from '../test/bot/seed-meeting.ts';
import { outcomeOf } from './drive.ts';
import { median } from './stats.ts';

const KEY = 'hackathon/2022-03-19';
const QUIET_MS = 6_000;

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, people: { type: 'string', default: '200' }, bullets: { type: 'string', default: '2' } },
});
const [runs, crowd, bullets] = [Number(args.runs), Number(args.people), Number(args.bullets)];
if (![runs, crowd, bullets].every((n) => Number.isInteger(n) && n > 0)) {
  process.stderr.write('bench:summary: --runs, --people and --bullets are positive integers\n');
  process.exit(2);
}

interface Run {
  readonly answerMs: number;
  readonly lastMessageMs: number;
  readonly messages: number;
  readonly fileKiB: number;
  readonly answer: string;
}

/** The seed's twelve people, each with the seed's bullets (as typed into the form), in the seed's order. */
async function seedMeeting(h: Harness): Promise<void> {
  for (const person of seedPeople(readExample('hackathon-2022-03-19.md'))) {
    const userId = h.emu.addMember(h.guild.guildId, { username: person.name.toLowerCase(), globalName: person.name });
    await h.bot.service.recordUpdate(KEY, { subject: { userId, identity: { displayName: person.name } }, update: parseUpdate(person.typed), authorId: userId });
  }
}

/** A revision posted at once after another: the channel's 5 messages per 5 s are used up. */
interface Options {
  readonly afterRevision?: boolean;
}

async function measure(populate: (h: Harness) => Promise<void>, options: Options = {}): Promise<Run> {
  const h = await startHarness({ now: '2022-03-19T08:00:00Z', voice: false });
  try {
    const opened = await h.emu.slash(h.guild.members.maintainer, h.guild.textChannelId, 'meeting start').waitForAnswer();
    const threadId = /<#(\d+)>/.exec(opened.content)?.[1];
    if (threadId === undefined) throw new Error(`no thread: ${opened.content}`);
    await populate(h);
    h.clock.advance(10 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    if (options.afterRevision === true) {
      const first = await h.emu.slash(h.guild.members.maintainer, threadId, 'summary').waitForAnswer();
      if (!first.content.startsWith('Posted revision 1')) throw new Error(`the first /summary answered: ${first.content}`);
      const late = h.emu.addMember(h.guild.guildId, { username: 'late', globalName: 'Late' });
      await h.bot.service.recordUpdate(KEY, {
        subject: { userId: late, identity: { displayName: 'Late' } },
        update: parseUpdate('* came late'),
        authorId: late,
      });
    }
    const before = h.emu.messages(threadId).length;
    const sent = Date.now();
    const outcome = await outcomeOf(h.emu.slash(h.guild.members.maintainer, threadId, 'summary'), 300_000);
    if (outcome.savedMs === null || outcome.text?.startsWith(`Posted revision ${options.afterRevision === true ? 2 : 1}`) !== true)
      throw new Error(`/summary answered: ${outcome.text ?? 'nothing'}`);
    const posted = h.emu.messages(threadId).slice(before);
    const last = posted.at(-1);
    const violations = h.emu.violations();
    if (violations.length > 0) throw new Error(`the emulator recorded violations: ${JSON.stringify(violations).slice(0, 300)}`);
    return {
      answerMs: outcome.savedMs,
      lastMessageMs: last === undefined ? Number.NaN : Date.parse(last.createdAt) - sent,
      messages: posted.length,
      fileKiB: (last?.attachments[0]?.text().length ?? 0) / 1024,
      answer: outcome.text,
    };
  } finally {
    await h.close();
  }
}

function row(name: string, results: readonly Run[]): string {
  const ms = (values: number[]) => `${median(values).toFixed(0)} ms (${values.map((v) => v.toFixed(0)).join(' / ')})`;
  const first = results[0];
  return (
    `${name}: ${first?.messages ?? 0} message(s), file ${first?.fileKiB.toFixed(1) ?? '?'} KiB, median of ${results.length}\n` +
    `  /summary → answer             ${ms(results.map((r) => r.answerMs))}\n` +
    `  /summary → last message stored ${ms(results.map((r) => r.lastMessageMs))}\n`
  );
}

const thirty = async (h: Harness) => void (await gatherCrowd(h, KEY, 30, { bullets: 3, bulletLength: 90 }));
const scenarios: [string, (h: Harness) => Promise<void>, Options][] = [
  ['seed meeting (12 people)', seedMeeting, {}],
  ['30 people × 3 bullets', thirty, {}],
  [`${crowd} people × ${bullets} bullets`, async (h) => void (await gatherCrowd(h, KEY, crowd, { bullets, bulletLength: 60 })), {}],
  ['30 people × 3 bullets, revision 2 right after revision 1', thirty, { afterRevision: true }],
];
let out = '';
for (const [name, populate, options] of scenarios) {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await measure(populate, options));
  out += row(name, results);
}
process.stdout.write(out);
