/**
 * `/summary` timed at the emulator: from sending the interaction to the last message the bot posted
 * (a channel message, a follow-up or an edit of the reply), once the notes file has been attached and
 * nothing more has been posted for a quiet period. The attached notes are parsed to check what was timed.
 */
import type { Emulator, RecordedRequest } from '../../test/emulator/index.ts';
import { parseNotes } from '../../src/notes/parse.ts';
import { sleep } from './child.ts';

export interface SummaryTiming {
  /** INTERACTION_CREATE sent → the last posting request answered. */
  readonly totalMs: number;
  readonly ackMs: number;
  readonly ackType: number;
  /** Posting requests (messages, follow-ups, reply edits) after the interaction. */
  readonly posts: number;
  readonly attachment: { readonly filename: string; readonly bytes: number } | null;
  /** What the attached notes hold. */
  readonly blocks: number;
  readonly bullets: number;
  readonly parseWarnings: number;
}

const POSTING_ROUTES = new Set([
  'POST /channels/:channel/messages',
  'POST /webhooks/:app/:token',
  'PATCH /webhooks/:app/:token/messages/:message',
  'PATCH /channels/:channel/messages/:message',
]);

function isPost(r: RecordedRequest): boolean {
  return r.route !== null && POSTING_ROUTES.has(r.route) && r.status >= 200 && r.status < 300;
}

export async function timeSummary(
  emu: Emulator,
  maintainerId: string,
  channelId: string,
  opts: { timeoutMs?: number; quietMs?: number } = {},
): Promise<SummaryTiming> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const quietMs = opts.quietMs ?? 2_000;
  const lastBefore = emu.requests().at(-1)?.seq ?? 0;
  const h = emu.slash(maintainerId, channelId, 'summary');
  const ack = await h.waitForAck(10_000);
  if (!ack.accepted) throw new Error(`/summary was refused at the callback: ${ack.status} ${String(ack.errorCode)}`);
  const sentAt = ack.at - ack.latencyMs;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const posts = emu.requests().filter((r) => r.seq > lastBefore && isPost(r));
    const last = posts.reduce((max, r) => Math.max(max, r.finishedAt), ack.at);
    const md = posts.flatMap((r) => r.files).find((f) => f.filename.endsWith('.md'));
    if (md && performance.now() - last >= quietMs) {
      const parsed = parseNotes(md.bytes.toString('utf8'));
      return {
        totalMs: last - sentAt,
        ackMs: ack.latencyMs,
        ackType: ack.type,
        posts: posts.length,
        attachment: { filename: md.filename, bytes: md.bytes.length },
        blocks: parsed.blocks.length,
        bullets: parsed.blocks.reduce((n, b) => n + b.bullets.length, 0),
        parseWarnings: parsed.warnings.length,
      };
    }
    if (performance.now() > deadline) {
      const reply = h.original()?.content ?? '(no reply text)';
      throw new Error(
        `/summary: no notes file posted within ${timeoutMs} ms (${posts.length} posting requests seen; reply: "${reply.slice(0, 200)}")`,
      );
    }
    await sleep(100);
  }
}
