/**
 * The pg.Pool look-alike over one PGlite: what BullMQ's PostgreSQL backend needs from node-postgres,
 * and the isolation a shared embedded session needs (see STACK-NOTES, hazard 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { openPglitePool, type PglitePool, type PgliteNotification } from '../../src/queue/pglite-pool.js';
import { waitFor } from '../support/wait-for.js';

describe('PglitePool', () => {
  let db: PGlite;
  let pool: PglitePool;

  beforeAll(async () => {
    db = await PGlite.create();
    pool = await openPglitePool(db);
    await pool.query('CREATE TABLE item (id int PRIMARY KEY, label text)');
  });
  afterAll(async () => {
    await pool.end();
    await db.close();
  });

  it('returns int8 and numeric as strings and results shaped like node-postgres', async () => {
    const result = await pool.query('SELECT $1::int8 AS big, 12345678901234567::int8 AS bigger, 1.50::numeric AS money, 7::int4 AS small', [
      '9007199254740993',
    ]);
    expect(result.rows).toEqual([{ big: '9007199254740993', bigger: '12345678901234567', money: '1.50', small: 7 }]);
    expect(result.command).toBe('SELECT');
    expect(result.rowCount).toBe(1);
    expect(result.fields.map((field) => [field.name, field.dataTypeID])).toEqual([
      ['big', 20],
      ['bigger', 20],
      ['money', 1700],
      ['small', 23],
    ]);
    const insert = await pool.query('INSERT INTO item VALUES ($1, $2), ($3, $4)', [100, 'a', 101, 'b']);
    expect(insert.command).toBe('INSERT');
    expect(insert.rowCount).toBe(2);
  });

  it('prepares parameters the way node-postgres does', async () => {
    const when = new Date('2026-01-02T03:04:05.678Z');
    const { rows } = await pool.query('SELECT $1::timestamptz AS at, $2::text AS json, $3::text AS nothing, $4::text[] AS list', [
      when,
      { a: 1 },
      undefined,
      ['x', 'y'],
    ]);
    expect(rows[0]).toEqual({ at: when, json: '{"a":1}', nothing: null, list: ['x', 'y'] });
  });

  it('runs a script of several statements when there are no parameters, as a migration sends it', async () => {
    const result = await pool.query('CREATE TABLE script_a (id int); INSERT INTO script_a VALUES (1), (2); SELECT count(*) AS n FROM script_a');
    expect(result.rows).toEqual([{ n: '2' }]);
  });

  it('turns LISTEN (after comment lines) into notification events, and UNLISTEN stops them', async () => {
    const client = await pool.connect();
    const received: PgliteNotification[] = [];
    client.on('notification', (message: PgliteNotification) => received.push(message));
    await client.query('-- Subscribe to the shared channel.\n-- A second comment line.\nLISTEN bullmq_jobs;\n');
    await pool.query(`SELECT pg_notify('bullmq_jobs', 'queue-a')`);
    await waitFor(() => received.length === 1, 'the notification');
    expect(received[0]).toMatchObject({ channel: 'bullmq_jobs', payload: 'queue-a' });

    await client.query('UNLISTEN bullmq_jobs');
    await pool.query(`SELECT pg_notify('bullmq_jobs', 'queue-b')`);
    await pool.query('SELECT 1');
    expect(received).toHaveLength(1);
    client.release();
  });

  it('stops a released client from hearing its channels', async () => {
    const client = await pool.connect();
    const received: string[] = [];
    client.on('notification', (message: PgliteNotification) => received.push(message.payload ?? ''));
    await client.query('LISTEN released_channel');
    client.release();
    await client.whenIdle();
    await pool.query(`SELECT pg_notify('released_channel', 'late')`);
    await pool.query('SELECT 1');
    expect(received).toEqual([]);
    await expect(client.query('SELECT 1')).rejects.toThrow(/released/);
  });

  it("keeps a concurrent caller's statement out of a client's BEGIN … ROLLBACK", async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO item VALUES (1, 'inside')`);
    let outsideDone = false;
    const outside = pool.query(`INSERT INTO item VALUES (2, 'outside')`).then(() => {
      outsideDone = true;
    });
    await client.query(`INSERT INTO item VALUES (3, 'inside too')`);
    // The outside statement waits for the transaction instead of running inside it.
    expect(outsideDone).toBe(false);
    const rollback = await client.query('ROLLBACK');
    expect(rollback.command).toBe('ROLLBACK');
    await outside;
    client.release();
    const { rows } = await pool.query('SELECT id FROM item WHERE id < 10 ORDER BY id');
    expect(rows).toEqual([{ id: 2 }]);
  });

  it('commits BEGIN … COMMIT, and reports COMMIT of a failed transaction as ROLLBACK like PostgreSQL', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO item VALUES (20, 'kept')`);
    expect((await client.query('COMMIT')).command).toBe('COMMIT');

    await client.query('BEGIN');
    await client.query(`INSERT INTO item VALUES (21, 'lost')`);
    await expect(client.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
    await expect(client.query('SELECT 1')).rejects.toThrow(/aborted/);
    expect((await client.query('COMMIT')).command).toBe('ROLLBACK');

    await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    expect((await client.query('SHOW transaction_isolation')).rows).toEqual([{ transaction_isolation: 'serializable' }]);
    await client.query('COMMIT');
    client.release();

    const { rows } = await pool.query('SELECT id FROM item WHERE id IN (20, 21) ORDER BY id');
    expect(rows).toEqual([{ id: 20 }]);
  });

  it("runs a client's statements in the order they were sent, even without awaiting each", async () => {
    const client = await pool.connect();
    const sent = [
      client.query('BEGIN'),
      client.query(`INSERT INTO item VALUES (30, 'never')`),
      client.query('ROLLBACK'),
    ];
    await Promise.all(sent);
    client.release();
    const { rows } = await pool.query('SELECT id FROM item WHERE id = 30');
    expect(rows).toEqual([]);
  });

  it('rolls back the open transaction of a client released without COMMIT', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO item VALUES (40, 'abandoned')`);
    client.release();
    const { rows } = await pool.query('SELECT id FROM item WHERE id = 40');
    expect(rows).toEqual([]);
  });

  it('refuses transaction control and LISTEN on pool.query', async () => {
    await expect(pool.query('BEGIN')).rejects.toThrow(/pool.connect/);
    await expect(pool.query('-- x\nCOMMIT;')).rejects.toThrow(/pool.connect/);
    await expect(pool.query('LISTEN somewhere')).rejects.toThrow(/pool.connect/);
  });

  it('lets timers run between statements of a busy caller', async () => {
    let timerFiredAt = -1;
    let done = 0;
    setTimeout(() => {
      timerFiredAt = done;
    }, 0);
    for (; done < 300; done++) await pool.query('SELECT 1');
    expect(timerFiredAt).toBeGreaterThanOrEqual(0);
    expect(timerFiredAt).toBeLessThan(300);
  });
});

describe('openPglitePool and the search_path', () => {
  let db: PGlite;

  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db.close();
  });

  const searchPath = async () => (await db.query<{ p: string }>(`SELECT current_setting('search_path') AS p`)).rows[0]!.p;

  it("appends the schema after public, so unqualified DDL stays in public, and restores the path on end", async () => {
    await db.exec('CREATE SCHEMA queues; CREATE FUNCTION queues.answer() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$');
    const pool = await openPglitePool(db, { searchSchema: 'queues' });
    expect(await searchPath()).toBe('public, "queues"');
    expect((await pool.query('SELECT answer() AS a')).rows).toEqual([{ a: 42 }]);

    await db.exec('CREATE TABLE created_later (id int)');
    const { rows } = await db.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'created_later'`);
    expect(rows).toEqual([{ table_schema: 'public' }]);

    await pool.end();
    expect(await searchPath()).toBe('public');
    await expect(pool.query('SELECT 1')).rejects.toThrow('Cannot use a pool after calling end on the pool');
  });

  it('refuses a second queue schema on the same instance while the first is in use', async () => {
    const first = await openPglitePool(db, { searchSchema: 'one' });
    await expect(openPglitePool(db, { searchSchema: 'two' })).rejects.toThrow(/already has schema one/);
    const again = await openPglitePool(db, { searchSchema: 'one' });
    await first.end();
    expect(await searchPath()).toBe('public, "one"');
    await again.end();
    expect(await searchPath()).toBe('public');
  });
});
