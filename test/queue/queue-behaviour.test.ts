/**
 * What Linli relies on from BullMQ, checked on every configured backend: PGlite always,
 * PostgreSQL with TEST_DATABASE_URL, Redis with TEST_REDIS_URL. Each test uses fresh queue names;
 * timing checks compare the backend's own job timestamps with a tolerance, not wall-clock races.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { LinliProcessor, LinliWorker, WorkerSettings } from '../../src/queue/backend.js';
import { openQueueTarget, queueTargets, uniqueSuffix, type OpenedQueueTarget } from './support/targets.js';
import { waitFor } from '../support/wait-for.js';
import { pause } from './support/wait.js';

/** Slack for scheduling jitter on a loaded two-core machine; far below every interval tested. */
const TOLERANCE_MS = 100;
/**
 * The limiter's window opens when a job is taken, but a start is stamped when its handler runs:
 * under load the earlier stamp of a pair can lag by more than the usual jitter (110 ms seen on
 * PostgreSQL in CI). A broken limiter starts every job within a few ms, far below this.
 */
const LIMITER_SLACK_MS = 200;
/** For times the backend computes itself (due times): only rounding separates them. */
const STAMP_TOLERANCE_MS = 10;
/**
 * How far a scheduler's due time may sit off its grid: the next run's stamp is taken when the
 * previous one is handled, which on the embedded database waits behind other statements on a
 * busy machine (12 ms seen once in a full run).
 */
const GRID_TOLERANCE_MS = 25;

describe.each(queueTargets())('BullMQ on %s', (kind) => {
  let target: OpenedQueueTarget;
  const workers: LinliWorker<unknown>[] = [];

  beforeAll(async () => {
    target = await openQueueTarget(kind);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
  });
  afterAll(async () => {
    await target?.close();
  });

  const queueName = (what: string) => `${what}-${uniqueSuffix()}`;
  function startWorker<T>(name: string, processor: LinliProcessor<T>, settings: WorkerSettings = {}): LinliWorker<T> {
    const worker = target.backend.worker<T>(name, processor, settings);
    workers.push(worker as unknown as LinliWorker<unknown>);
    return worker;
  }
  const startedAt = (job: Job) => job.processedOn ?? Number.NaN;

  it('processes a job and keeps its result', async () => {
    const name = queueName('basic');
    const queue = target.backend.queue<{ n: number }>(name);
    startWorker<{ n: number }>(name, async (job) => job.data.n * 2);
    const job = await queue.add('double', { n: 21 });
    await waitFor(async () => (await job.getState()) === 'completed', 'the job to complete');
    const stored = await queue.getJob(job.id!);
    expect(stored?.returnvalue).toBe(42);
    expect(stored?.data).toEqual({ n: 21 });
  });

  it('wakes an idle worker as soon as a job is added, not on its next poll', async () => {
    const name = queueName('wake');
    const queue = target.backend.queue<{ n: number }>(name);
    const starts: number[] = [];
    // An hour's drain delay: only a notification (LISTEN/NOTIFY, or Redis's blocking pop) can
    // wake it while the test runs.
    const worker = startWorker<{ n: number }>(
      name,
      async (job) => {
        starts.push(startedAt(job));
      },
      { drainDelay: 3_600 },
    );
    await worker.waitUntilReady();
    await pause(500);
    await queue.add('now', { n: 1 });
    await waitFor(() => starts.length === 1, 'the idle worker to pick the job up');
  });

  it('reports a finished job through queue events', async () => {
    const name = queueName('events');
    const queue = target.backend.queue<{ n: number }>(name);
    const events = target.backend.queueEvents(name);
    await events.waitUntilReady();
    startWorker<{ n: number }>(name, async (job) => job.data.n + 1);
    const job = await queue.add('inc', { n: 1 });
    expect(await job.waitUntilFinished(events, 10_000)).toBe(2);
    await events.close();
  });

  it('runs a delayed job after its delay and not before', async () => {
    const name = queueName('delayed');
    const queue = target.backend.queue<{ n: number }>(name);
    const starts: number[] = [];
    startWorker<{ n: number }>(name, async (job) => {
      starts.push(startedAt(job));
    });
    const delay = 800;
    const addedAt = Date.now();
    const job = await queue.add('later', { n: 1 }, { delay });
    expect(await job.getState()).toBe('delayed');
    await waitFor(() => starts.length === 1, 'the delayed job to run');
    expect(starts[0]! - job.timestamp).toBeGreaterThanOrEqual(delay - STAMP_TOLERANCE_MS);
    expect(starts[0]! - addedAt).toBeGreaterThanOrEqual(delay - STAMP_TOLERANCE_MS);
  });

  it('repeats a job scheduler until it is removed', async () => {
    const name = queueName('scheduler');
    const queue = target.backend.queue<{ tick: boolean }>(name);
    // When each run was due and when it started: pick-up latency varies with load, due times do not.
    const runs: { due: number; start: number }[] = [];
    startWorker<{ tick: boolean }>(name, async (job) => {
      runs.push({ due: job.timestamp + (job.opts.delay ?? 0), start: startedAt(job) });
    });
    const every = 300;
    await queue.upsertJobScheduler('tick', { every }, { name: 'tick', data: { tick: true } });
    await waitFor(() => runs.length >= 4, 'four runs of the scheduler');
    await queue.removeJobScheduler('tick');
    const runsAtRemoval = runs.length;
    // The first run goes at once; the later ones are due `every` apart or more (a late run may skip a slot)…
    for (let i = 2; i < runs.length; i++) {
      const gap = runs[i]!.due - runs[i - 1]!.due;
      expect(gap).toBeGreaterThanOrEqual(every - GRID_TOLERANCE_MS);
    }
    // …and none starts before it is due.
    for (const run of runs.slice(1)) expect(run.start).toBeGreaterThanOrEqual(run.due - STAMP_TOLERANCE_MS);
    // Removed: no scheduler and, once a run in flight is done, nothing left to run.
    expect(await queue.getJobSchedulers()).toEqual([]);
    await waitFor(async () => {
      const counts = await queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
      return Object.values(counts).every((count) => count === 0);
    }, 'the queue to be empty');
    // At most a run already in flight when it was removed.
    expect(runs.length).toBeLessThanOrEqual(runsAtRemoval + 1);
  });

  it('processes a job once when the same job id is added twice', async () => {
    const name = queueName('dedup');
    const queue = target.backend.queue<{ key: string }>(name);
    const runs: string[] = [];
    const worker = startWorker<{ key: string }>(
      name,
      async (job) => {
        runs.push(job.data.key);
      },
      { autorun: false },
    );
    const first = await queue.add('send', { key: 'a' }, { jobId: 'outbox-a' });
    const second = await queue.add('send', { key: 'a' }, { jobId: 'outbox-a' });
    expect(second.id).toBe(first.id);
    await queue.add('send', { key: 'sentinel-1' });
    void worker.run();
    await waitFor(() => runs.includes('sentinel-1'), 'the first sentinel');
    // Added again after it completed (and is still kept): still no second run.
    await queue.add('send', { key: 'a' }, { jobId: 'outbox-a' });
    await queue.add('send', { key: 'sentinel-2' });
    await waitFor(() => runs.includes('sentinel-2'), 'the second sentinel');
    expect(runs.filter((key) => key === 'a')).toHaveLength(1);
  });

  it('holds the limiter: at most max job starts per duration', async () => {
    const name = queueName('limiter');
    const queue = target.backend.queue<{ i: number }>(name);
    const starts: number[] = [];
    const limiter = { max: 2, duration: 600 };
    const worker = startWorker<{ i: number }>(
      name,
      async (job) => {
        starts.push(startedAt(job));
      },
      { concurrency: 4, limiter, autorun: false },
    );
    await queue.addBulk(Array.from({ length: 6 }, (_, i) => ({ name: 'job', data: { i } })));
    void worker.run();
    await waitFor(() => starts.length === 6, 'six limited jobs');
    const sorted = [...starts].sort((a, b) => a - b);
    // Any max+1 consecutive starts span at least one duration.
    for (let i = limiter.max; i < sorted.length; i++) {
      expect(sorted[i]! - sorted[i - limiter.max]!).toBeGreaterThanOrEqual(limiter.duration - LIMITER_SLACK_MS);
    }
  });

  it('runs a priority-1 job added behind many priority-10 jobs before most of them', async () => {
    const name = queueName('priority');
    const queue = target.backend.queue<{ label: string }>(name);
    const order: string[] = [];
    startWorker<{ label: string }>(
      name,
      async (job) => {
        order.push(job.data.label);
        await pause(15);
      },
      { concurrency: 1 },
    );
    const bulk = Array.from({ length: 20 }, (_, i) => ({ name: 'bulk', data: { label: `bulk-${i}` }, opts: { priority: 10 } }));
    await queue.addBulk(bulk);
    await waitFor(() => order.length >= 1, 'the first bulk job to start');
    await queue.add('reply', { label: 'reply' }, { priority: 1 });
    await waitFor(() => order.length === 21, 'all jobs');
    expect(order.indexOf('reply')).toBeLessThan(5);
    // Same priority keeps insertion order.
    const bulkOrder = order.filter((label) => label !== 'reply');
    expect(bulkOrder).toEqual(bulk.map((job) => job.data.label));
  });

  it('retries a failing job with backoff, and fails it when attempts run out', async () => {
    const name = queueName('retries');
    const queue = target.backend.queue<{ failTimes: number }>(name);
    const starts = new Map<string, number[]>();
    startWorker<{ failTimes: number }>(name, async (job) => {
      const list = starts.get(job.id!) ?? [];
      list.push(startedAt(job));
      starts.set(job.id!, list);
      if (job.attemptsMade < job.data.failTimes) throw new Error(`planned failure ${job.attemptsMade + 1}`);
      return 'done';
    });
    const backoff = 300;
    const recovers = await queue.add('recovers', { failTimes: 2 }, { attempts: 3, backoff: { type: 'fixed', delay: backoff } });
    const givesUp = await queue.add('gives-up', { failTimes: 5 }, { attempts: 2, backoff: { type: 'fixed', delay: backoff } });
    await waitFor(
      async () => (await recovers.getState()) === 'completed' && (await givesUp.getState()) === 'failed',
      'one job to recover and one to fail');
    const recovered = starts.get(recovers.id!)!;
    expect(recovered).toHaveLength(3);
    for (let i = 1; i < recovered.length; i++) expect(recovered[i]! - recovered[i - 1]!).toBeGreaterThanOrEqual(backoff - TOLERANCE_MS);
    expect((await queue.getJob(recovers.id!))?.attemptsMade).toBe(3);
    const failed = await queue.getJob(givesUp.id!);
    expect(failed?.attemptsMade).toBe(2);
    expect(failed?.failedReason).toBe('planned failure 2');
    expect(starts.get(givesUp.id!)).toHaveLength(2);
  });

  it('delays a job with worker.rateLimit and RateLimitError without using an attempt', async () => {
    const name = queueName('rate-limit');
    const queue = target.backend.queue<{ n: number }>(name);
    const starts: number[] = [];
    const wait = 600;
    const worker: LinliWorker<{ n: number }> = startWorker<{ n: number }>(name, async (job) => {
      starts.push(Date.now());
      if (starts.length === 1) {
        // What a delivery does on a platform's 429 with retry_after.
        await worker.rateLimit(wait);
        throw Worker.RateLimitError();
      }
      return 'sent';
    });
    const job = await queue.add('send', { n: 1 }, { attempts: 1 });
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 'the rate-limited job to finish');
    const finished = await queue.getJob(job.id!);
    // With one attempt allowed, a counted attempt would have failed the job.
    expect(await finished?.getState()).toBe('completed');
    expect(finished?.attemptsMade).toBe(1);
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(wait - TOLERANCE_MS);
  });

  it('lets a job step aside with moveToDelayed and DelayedError without using an attempt', async () => {
    const name = queueName('step-aside');
    const queue = target.backend.queue<{ n: number }>(name);
    const starts: number[] = [];
    const wait = 400;
    startWorker<{ n: number }>(name, async (job, token) => {
      starts.push(Date.now());
      if (starts.length === 1) {
        // What a delivery does while an earlier message to the same chat is still in flight.
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      return 'sent';
    });
    const job = await queue.add('send', { n: 1 }, { attempts: 1 });
    await waitFor(async () => ['completed', 'failed'].includes(await job.getState()), 'the stepped-aside job to finish');
    expect(await job.getState()).toBe('completed');
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(wait - TOLERANCE_MS);
  });
});
