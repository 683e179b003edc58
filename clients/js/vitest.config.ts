import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20000,
    hookTimeout: 20000,
    // one file at a time: several files restart the same server (CHORUS_RESTART_URL), and the
    // timing-sensitive tests (heartbeats, throttling) stay honest on two cores
    fileParallelism: false,
  },
});
