/** The words of replies about publishing: what was published and where, or why not yet. Links in <> show no embed. */
import type { PublishOutcome } from './publish-notes.ts';
import type { PublishEntry, PublishRecord } from './records.ts';

function landed(entry: PublishEntry): string {
  const link = entry.url === undefined ? '' : ` <${entry.url}>`;
  const what = entry.pullRequest !== undefined ? `pull request #${entry.pullRequest.number}` : `commit ${entry.commit?.slice(0, 12) ?? '?'}`;
  return `revision ${entry.revision} to ${entry.where} (${entry.branch}, ${entry.path}): ${what}${entry.changed === false ? ', already there' : ''}${link}`;
}

function waiting(entry: PublishEntry): string {
  const next = entry.nextAttemptAt === undefined ? '' : `; next try <t:${Math.floor(Date.parse(entry.nextAttemptAt) / 1000)}:R>`;
  const error =
    entry.lastError === undefined ? '' : ` (${entry.attempts} failed attempt${entry.attempts === 1 ? '' : 's'}, the last: ${entry.lastError.slice(0, 200)})`;
  return `revision ${entry.revision} to ${entry.where} (${entry.branch}) not published yet${error}${next}`;
}

/** One sentence for the reply of `/meeting end` or `/summary publish:true`; empty when the series publishes nowhere. */
export function publishOutcomeText(outcome: PublishOutcome): string {
  if (outcome.status === 'off') return '';
  if (outcome.status === 'done') return `Published ${landed(outcome.entry)}.`;
  return `Publishing failed: ${waiting(outcome.entry)}. Scribe retries by itself; the notes here are unaffected.`;
}

/** The lines of `/meeting status` about publishing. */
export function publishStatusLines(record: PublishRecord | undefined, publishes: boolean): string[] {
  if (!publishes) return [];
  const entries = record?.entries ?? [];
  if (entries.length === 0) return ['Published: nothing yet (the final notes are published when the meeting ends).'];
  const done = entries.filter((e) => e.status === 'done');
  const last = entries.at(-1);
  const lines = done.slice(-2).map((e) => `Published ${landed(e)}`);
  if (last?.status === 'pending') lines.push(`Pending: ${waiting(last)}`);
  return lines;
}
