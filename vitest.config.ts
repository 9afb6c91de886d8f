import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Files run in parallel, each with its own database schema / queue prefix. Three on two cores:
    // much of a file's time is spent waiting (on PostgreSQL's own processes, Redis, the browser,
    // child processes and real timers), and the whole run passes with the machine far busier.
    pool: 'forks',
    maxWorkers: 3,
    // Files share a worker's module cache: loading Prisma, telegraf and wechaty once per worker
    // instead of once per file halves the run (each file still makes its own schema, queue
    // prefix and app; no test mocks modules or changes globals).
    isolate: false,
    // Generous: a timeout only decides how long a broken test takes to fail; a busy machine must
    // never fail a working one (speed is measured by the bench scripts, which print it).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The same for `expect.poll` (Vitest's default gives up after one second).
    expect: { poll: { timeout: 60_000 } },
  },
});
