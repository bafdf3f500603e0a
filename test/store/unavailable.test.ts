import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/meetings/records.ts';
import { openStore, StoreUnavailableError } from '../../src/store/index.ts';
import { TcpProxy } from './tcp-proxy.ts';

const namespace = () => `scribetest${randomUUID().replaceAll('-', '')}`;

const record = (userId: string) => ({
  meetingKey: 'hackathon/2022-03-19',
  userId,
  identity: { displayName: `u${userId}` },
  name: `u${userId}`,
  update: { bullets: [{ text: 'x', continuation: [] }], references: [] },
  firstGivenAt: '2022-03-19T08:00:00.000Z',
  updatedAt: '2022-03-19T08:00:00.000Z',
  authorId: userId,
});

describe('a store that does not answer', () => {
  it.each([
    ['Redis', 'redis://127.0.0.1:1'],
    ['Postgres', 'postgres://postgres@127.0.0.1:1/test'],
  ])('%s: opening fails with StoreUnavailableError, without the password', async (_name, url) => {
    const withPassword = url.replace('://', '://user:s3cret@');
    const error = await openStore(withPassword, { operationTimeoutMs: 2_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/is unavailable/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('SQLite: a directory that cannot be created fails with StoreUnavailableError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scribe-store-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    try {
      await expect(openStore(`sqlite://${file}/sub/x.sqlite`)).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown scheme is refused', async () => {
    await expect(openStore('mysql://localhost/x')).rejects.toThrow(/unknown store URL scheme/);
  });
});

describe.each([
  ['Redis', 6379, (port: number) => `redis://127.0.0.1:${port}`],
  ['Postgres', 5432, (port: number) => `postgres://postgres@127.0.0.1:${port}/test`],
])('%s going away mid-meeting and coming back', (_name, targetPort, urlFor) => {
  it('fails writes with StoreUnavailableError while away and resumes without a reopen', async () => {
    const proxy = new TcpProxy('127.0.0.1', targetPort);
    const port = await proxy.start();
    let store: Store | undefined;
    try {
      store = await openStore(urlFor(port), { namespace: namespace(), operationTimeoutMs: 1_500, onError: () => undefined });
      await store.updates.put(record('1'));

      await proxy.cut();
      const failed = await store.updates.put(record('2')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failed).toBeInstanceOf(StoreUnavailableError);

      await proxy.start();
      // The client reconnects on its own; the first attempts may still meet the old connection.
      let listed: string[] | undefined;
      for (let attempt = 0; attempt < 40 && listed === undefined; attempt++) {
        try {
          await store.updates.put(record('3'));
          listed = (await store.updates.list('hackathon/2022-03-19')).map((u) => u.userId);
        } catch (error) {
          expect(error).toBeInstanceOf(StoreUnavailableError);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      // Update 2 was refused, not half-written: the index never named it.
      expect(listed).toEqual(['1', '3']);
    } finally {
      await store?.clear().catch(() => undefined);
      await store?.close().catch(() => undefined);
      await proxy.cut();
    }
  });
});
