/** The metrics in prom-client, one registry per process, served by server.ts. */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from './metrics.ts';

export interface PrometheusMetrics extends Metrics {
  readonly registry: Registry;
  /** Where the open-meetings gauge reads its value when scraped (the schedule knows; nothing is counted twice). */
  countOpenMeetingsWith(count: () => number): void;
}

export function createMetrics(labels: Record<string, string> = {}): PrometheusMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry });
  const interactions = new Counter({
    name: 'scribe_interactions_total',
    help: 'Interactions received, by kind and command',
    labelNames: ['kind', 'name'],
    registers: [registry],
  });
  // Discord's deadline is 3 s: the buckets are fine below it.
  const ackLatency = new Histogram({
    name: 'scribe_interaction_ack_seconds',
    help: 'Seconds from an interaction arriving to its acknowledgement',
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [registry],
  });
  const updates = new Counter({ name: 'scribe_updates_stored_total', help: 'Updates saved to the store', registers: [registry] });
  const notes = new Counter({ name: 'scribe_notes_posted_total', help: 'Notes revisions posted', registers: [registry] });
  let openMeetings = (): number => 0;
  new Gauge({
    name: 'scribe_meetings_open',
    help: 'Meetings this process runs that are open now',
    registers: [registry],
    collect() {
      this.set(openMeetings());
    },
  });
  const errors = new Counter({ name: 'scribe_errors_total', help: 'Errors, by where they happened', labelNames: ['kind'], registers: [registry] });
  return {
    registry,
    interaction: (kind, name) => interactions.inc({ kind, name }),
    acknowledged: (seconds) => ackLatency.observe(seconds),
    updatesStored: (count) => updates.inc(count),
    notesPosted: () => notes.inc(),
    countOpenMeetingsWith: (count) => {
      openMeetings = count;
    },
    error: (kind) => errors.inc({ kind }),
  };
}
