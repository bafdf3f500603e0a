/**
 * What Scribe counts, as the rest of Scribe sees it: the core reports what happened (an update stored,
 * notes posted), the router what it answered and how fast. prometheus.ts keeps them for METRICS_PORT;
 * without it nothing is kept (and prom-client is not even loaded).
 */

export interface Metrics {
  /** An interaction arrived: a command, a form or an autocomplete, by name. */
  interaction(kind: 'command' | 'modal' | 'autocomplete', name: string): void;
  /** Seconds from an interaction's arrival to its acknowledgement (deferral, form or reply). */
  acknowledged(seconds: number): void;
  updatesStored(count: number): void;
  notesPosted(): void;
  error(kind: 'interaction' | 'schedule' | 'store' | 'discord'): void;
}

/** For tests and for code that runs without metrics. */
export const noMetrics: Metrics = {
  interaction: () => undefined,
  acknowledged: () => undefined,
  updatesStored: () => undefined,
  notesPosted: () => undefined,
  error: () => undefined,
};
