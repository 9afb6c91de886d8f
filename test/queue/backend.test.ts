/**
 * The connection factory: where BullMQ's objects land next to Prisma's, failing fast on a backend
 * that cannot be reached, and closing everything it made (letting active jobs finish).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueueBackend, queueSchemaFor, type QueueBackend } from '../../src/queue/backend.js';
import { jobIds, parseJobPayload } from '../../src/queue/jobs.js';
import { QueueNames } from '../../src/queue/names.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { seedCommunity } from '../support/community.js';
import { deleteKeys, dropSchema, uniqueSuffix } from './support/targets.js';
import { waitFor } from '../support/wait-for.js';
import { pause } from './support/wait.js';

describe.each(databaseTargets())('queues in the database on %s', (target) => {
  let database: TestDatabase;
  let backend: QueueBackend;
  // Which of this file's two schemas hold the table (other files' schemas share the server).
  const schemaOf = (table: string) =>
    database.prisma.$queryRawUnsafe<{ table_schema: string }[]>(
      'SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_schema IN ($2, $3) ORDER BY table_schema',
      table,
      database.postgres?.schema ?? 'public',
      queueSchemaFor(database),
    );

  beforeAll(async () => {
    database = await createTestDatabase(target);
    backend = await createQueueBackend({ database });
  });
  afterAll(async () => {
    await backend?.close();
    if (database?.postgres) await dropSchema(database.postgres.connectionString, queueSchemaFor(database));
    await database?.close();
  });

  it('keeps BullMQ in its own schema and Prisma in its own', async () => {
    expect(backend.kind).toBe(target === 'postgres' ? 'postgres' : 'pglite');
    const queueSchema = queueSchemaFor(database);
    expect(queueSchema).toBe(target === 'postgres' ? `${database.postgres!.schema}_bullmq` : 'bullmq');
    expect(await schemaOf('job')).toEqual([{ table_schema: queueSchema }]);
    expect(await schemaOf('Community')).toEqual([{ table_schema: database.postgres?.schema ?? 'public' }]);

    // With the queues on the shared session, Prisma still reads and writes its own tables…
    const community = await seedCommunity(database.prisma);
    expect(await database.prisma.community.findUnique({ where: { id: community.id } })).not.toBeNull();
    // …and an unqualified table created now (as a later migration would) does not land in BullMQ's schema.
    await database.prisma.$executeRawUnsafe('CREATE TABLE created_after_queues (id int)');
    expect(await schemaOf('created_after_queues')).toEqual([{ table_schema: database.postgres?.schema ?? 'public' }]);
  });

  it("runs Linli's typed queues with their job ids", async () => {
    const queue = backend.queue(QueueNames.deliveries);
    const received: string[] = [];
    const worker = backend.worker(QueueNames.deliveries, async (job) => {
      received.push(parseJobPayload(QueueNames.deliveries, job.data).outboxId);
    });
    const payload = { outboxId: 'cm0abc123' };
    await queue.add('deliver', payload, { jobId: jobIds.deliveries(payload) });
    await queue.add('deliver', payload, { jobId: jobIds.deliveries(payload) });
    await waitFor(() => received.length === 1, 'the delivery job');
    expect(received).toEqual(['cm0abc123']);
    const timeouts = backend.queue(QueueNames.conversationTimeouts);
    const timeout = { conversationId: 'cm0conv', version: 3, stage: 1 as const };
    const job = await timeouts.add('idle', timeout, { jobId: jobIds['conversation-timeouts'](timeout), delay: 60_000 });
    expect(await job.getState()).toBe('delayed');
    await worker.close();
  });

  it('closes what it made, letting an active job finish, and the database stays usable', async () => {
    const own = await createQueueBackend({ database, schema: queueSchemaFor(database) });
    const name = await expectCloseToFinishActiveJob(own);
    // The other backend on the same database (and schema) keeps working.
    let ran = false;
    const survivorWorker = backend.worker<{ n: number }>(name, async () => {
      ran = true;
    });
    await backend.queue<{ n: number }>(name).add('after', { n: 3 });
    await waitFor(() => ran, 'a job on the remaining backend');
    await survivorWorker.close();
  });
});

describe.runIf(process.env.TEST_REDIS_URL)('queues on Redis', () => {
  it('closes what it made, letting an active job finish', async () => {
    const prefix = `linli-test-${uniqueSuffix()}`;
    const url = process.env.TEST_REDIS_URL!;
    const own = await createQueueBackend({ redisUrl: url, database: { kind: 'embedded' }, prefix });
    try {
      expect(own.kind).toBe('redis');
      await expectCloseToFinishActiveJob(own);
    } finally {
      await own.close();
      await deleteKeys(url, `${prefix}:*`);
    }
  });
});

/** Starts a slow job, closes the backend while it runs; returns the queue name used. */
async function expectCloseToFinishActiveJob(own: QueueBackend): Promise<string> {
  const name = `closing-${uniqueSuffix()}`;
  let started = false;
  let finished = false;
  const worker = own.worker<{ n: number }>(name, async () => {
    started = true;
    await pause(300);
    finished = true;
  });
  await own.queue<{ n: number }>(name).add('slow', { n: 1 });
  await waitFor(() => started, 'the slow job to start');
  await own.close();
  expect(finished).toBe(true);
  expect(worker.isRunning()).toBe(false);
  expect(() => own.queue(name)).toThrow(/closed/);
  expect(() => own.worker(name, async () => undefined)).toThrow(/closed/);
  return name;
}

describe('a backend that cannot be reached', () => {
  // Rejected rather than retried for ever: a hang would end only at the test's timeout.
  it('rejects Redis', async () => {
    await expect(createQueueBackend({ redisUrl: 'redis://127.0.0.1:1', database: { kind: 'embedded' } })).rejects.toThrow();
  });

  it('rejects PostgreSQL', async () => {
    const database = { kind: 'postgres' as const, postgres: { connectionString: 'postgresql://postgres@127.0.0.1:1/none' } };
    await expect(createQueueBackend({ database })).rejects.toThrow();
  });

  it('rejects a database without its connection', async () => {
    await expect(createQueueBackend({ database: { kind: 'embedded' } })).rejects.toThrow(/PGlite/);
    await expect(createQueueBackend({ database: { kind: 'postgres' } })).rejects.toThrow(/connection string/);
  });
});

describe('queue schema and job payloads', () => {
  it('puts the queues beside the application schema', () => {
    expect(queueSchemaFor({ kind: 'embedded' })).toBe('bullmq');
    expect(queueSchemaFor({ kind: 'postgres', postgres: { connectionString: 'postgresql://x/y', schema: 'public' } })).toBe('bullmq');
    expect(queueSchemaFor({ kind: 'postgres', postgres: { connectionString: 'postgresql://x/y', schema: 't_1' } })).toBe('t_1_bullmq');
  });

  it('accepts ids only and rejects anything else', () => {
    expect(parseJobPayload('deliveries', { outboxId: 'o1' })).toEqual({ outboxId: 'o1' });
    expect(() => parseJobPayload('deliveries', { outboxId: 'o1', text: 'hello' })).toThrow();
    expect(() => parseJobPayload('deliveries', {})).toThrow();
    expect(parseJobPayload('conversation-timeouts', { conversationId: 'c1', version: 0, stage: 2 })).toEqual({
      conversationId: 'c1',
      version: 0,
      stage: 2,
    });
    expect(() => parseJobPayload('conversation-timeouts', { conversationId: 'c1', version: 0, stage: 3 })).toThrow();
    expect(() => parseJobPayload('conversation-timeouts', { conversationId: 'c1', version: -1, stage: 1 })).toThrow();
  });

  it('gives job ids BullMQ accepts: never an integer, never a colon', () => {
    const ids = [jobIds.deliveries({ outboxId: '12345' }), jobIds['conversation-timeouts']({ conversationId: '7', version: 1, stage: 2 })];
    for (const id of ids) {
      expect(id).not.toContain(':');
      expect(String(Number.parseInt(id, 10))).not.toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
