import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BackgroundLane } from '../src/background-lane.ts';

/** A loopback connection: what one end writes is ready for the other at the next poll for I/O. */
async function socketPair(): Promise<{ writer: Socket; reader: Socket; close(): void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const writer = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(writer, 'connect');
  const [reader] = await accepted;
  writer.setNoDelay(true);
  return {
    writer,
    reader,
    close() {
      writer.destroy();
      reader.destroy();
      server.close();
    },
  };
}

describe('BackgroundLane', () => {
  it('lets I/O that arrives meanwhile in between two callers, where plain setImmediate runs them back to back', async () => {
    const { writer, reader, close } = await socketPair();
    try {
      const events: string[] = [];
      reader.on('data', (chunk: Buffer) => events.push(`io ${chunk.toString()}`));
      const lane = new BackgroundLane();
      await Promise.all(
        [0, 1, 2].map(async (i) => {
          await lane.turn();
          events.push(`lane ${i}`);
          writer.write(String(i));
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events).toEqual(['lane 0', 'io 0', 'lane 1', 'io 1', 'lane 2', 'io 2']);

      // The same with setImmediate: every caller runs before the I/O they caused is read.
      events.length = 0;
      await Promise.all(
        [0, 1, 2].map(async (i) => {
          await new Promise((resolve) => setImmediate(resolve));
          events.push(`lane ${i}`);
          writer.write(String(i));
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events.slice(0, 3)).toEqual(['lane 0', 'lane 1', 'lane 2']);
    } finally {
      close();
    }
  });

  it('serves every caller once, in the order they came, through a long queue and callers added while it drains', async () => {
    const lane = new BackgroundLane();
    const served: number[] = [];
    const first = Array.from({ length: 2_500 }, (_, i) => lane.turn().then(() => served.push(i)));
    await first[1_500];
    const later = Array.from({ length: 1_000 }, (_, i) => lane.turn().then(() => served.push(2_500 + i)));
    expect(lane.waiting).toBeGreaterThan(0);
    await Promise.all([...first, ...later]);
    expect(served).toEqual(Array.from({ length: 3_500 }, (_, i) => i));
    expect(lane.waiting).toBe(0);
  });
});
