import { ensureBuilt } from '../scripts/build.mjs';

/**
 * Tests that run Scribe as a process start `bin/scribe.mjs`, which runs dist/. Built once here, so that
 * processes started at the same moment never build it side by side.
 */
export default async function setup(): Promise<void> {
  await ensureBuilt();
}
