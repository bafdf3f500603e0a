import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup/fast-check.ts'],
    // Files run side by side: most of their time is waiting (the emulator, child processes, discord.js's
    // own back-offs), and none shares a port, store namespace or directory with another. Worker threads
    // cost less CPU to start than forked processes; 4 of them measured fastest on 2 cores.
    pool: 'threads',
    maxWorkers: 4,
    minWorkers: 1,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
