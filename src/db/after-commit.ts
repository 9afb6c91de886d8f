/**
 * Work that must wait until a transaction has committed — outbox rows to hand to the delivery
 * queue, deadline jobs for a ticket's new version — registered by code deep inside someone
 * else's transaction (a ticket notice, the staff inbox's card, the deadline scheduler), and done
 * by the code that opened it, right after its commit. The code that opens the transaction runs it
 * through `transactionWithAfterCommit`; code inside calls `queueAfterCommit(tx, rows)` or
 * `runAfterCommit(tx, task)`. What is registered is kept against the transaction client itself,
 * so nothing has to be passed through every call in between, and it is dropped with it when the
 * transaction rolls back.
 *
 * A transaction opened any other way (the command line, a test) has nobody to do this: both
 * functions return false, and the sweeps take over (outbox rows within about a minute, deadline
 * jobs within the hour).
 */
import type { QueuedOutboxRow } from '../outbox/outbox.js';
import type { PrismaClient, Tx } from './prisma-types.js';

export type AfterCommitTask = () => Promise<void>;

interface Pending {
  rows: QueuedOutboxRow[];
  tasks: AfterCommitTask[];
}

const pendingByTransaction = new WeakMap<Tx, Pending>();

/** Outbox rows for the delivery queue once `tx` commits; false when nobody will queue them. */
export function queueAfterCommit(tx: Tx, rows: readonly QueuedOutboxRow[]): boolean {
  const pending = pendingByTransaction.get(tx);
  if (!pending) return false;
  pending.rows.push(...rows);
  return true;
}

/**
 * A task to run once `tx` commits (never if it rolls back); false when nobody will run it. The
 * task must not throw: the change has committed, and its owner has nobody to tell.
 */
export function runAfterCommit(tx: Tx, task: AfterCommitTask): boolean {
  const pending = pendingByTransaction.get(tx);
  if (!pending) return false;
  pending.tasks.push(task);
  return true;
}

/** Whether somebody will run what is registered once `tx` commits. */
export function runsAfterCommit(tx: Tx): boolean {
  return pendingByTransaction.has(tx);
}

export interface Committed<T> extends Pending {
  value: T;
}

/**
 * Runs `work` in a transaction; returns its value with what was registered for after the commit.
 * The caller hands `rows` to the outbox and then runs `tasks` (see `finishCommitted`).
 */
export async function transactionWithAfterCommit<T>(
  prisma: PrismaClient,
  work: (tx: Tx) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<Committed<T>> {
  let pending: Pending = { rows: [], tasks: [] };
  const value = await prisma.$transaction(async (tx) => {
    pending = { rows: [], tasks: [] };
    pendingByTransaction.set(tx, pending);
    return work(tx);
  }, options);
  return { value, ...pending };
}

/** Queues the committed rows (with the caller's own, first) and runs the tasks, in order. */
export async function finishCommitted(
  committed: Pending,
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> },
  ownRows: readonly QueuedOutboxRow[] = [],
): Promise<void> {
  const rows = [...ownRows, ...committed.rows];
  if (rows.length > 0) await outbox.dispatch(rows);
  for (const task of committed.tasks) await task();
}
