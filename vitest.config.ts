import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores here: files run in parallel, each with its own database schema / queue prefix.
    pool: 'forks',
    maxWorkers: 2,
    // Files share a worker's module cache: loading Prisma, telegraf and wechaty once per worker
    // instead of once per file halves the run (each file still makes its own schema, queue
    // prefix and app; no test mocks modules or changes globals).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
