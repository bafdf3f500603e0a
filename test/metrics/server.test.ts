import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/prometheus.ts';
import { startMetricsServer, type MetricsServer } from '../../src/metrics/server.ts';

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the metrics server', () => {
  it('answers /healthz with 200 only while ready, and /metrics with what was counted', async () => {
    let ready = false;
    const metrics = createMetrics({ shard: '3' });
    metrics.countOpenMeetingsWith(() => 7);
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: metrics.registry, ready: () => ready });
    const url = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    ready = false;
    expect((await fetch(`${url}/healthz`)).status).toBe(503);

    metrics.interaction('command', 'summary');
    metrics.acknowledged(0.2);
    metrics.notesPosted();
    metrics.error('store');
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('scribe_interactions_total{kind="command",name="summary",shard="3"} 1');
    expect(text).toContain('scribe_interaction_ack_seconds_bucket{le="0.25",shard="3"} 1');
    expect(text).toContain('scribe_interaction_ack_seconds_bucket{le="0.1",shard="3"} 0');
    expect(text).toContain('scribe_notes_posted_total{shard="3"} 1');
    expect(text).toContain('scribe_meetings_open{shard="3"} 7');
    expect(text).toContain('scribe_errors_total{kind="store",shard="3"} 1');
  });
});
