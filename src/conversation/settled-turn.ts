/**
 * A turn that a handler in front of the conversation takes itself (a staff command, a person's
 * check-in code, a roll-call question): its work and the settling of the inbound message commit
 * in one transaction, so a crash neither loses the message nor does the work twice, and the
 * messages the work wrote are handed to delivery once it has committed.
 *
 * @example
 * await runSettledTurn(deps.prisma, deps.outbox, receipt, (tx) => handle(tx, deps, speaker, command));
 */
import { finishCommitted, transactionWithAfterCommit } from '../db/after-commit.js';
import type { PrismaClient, Tx } from '../db/prisma-types.js';
import type { QueuedOutboxRow } from '../outbox/outbox.js';
import { markSettled, settleInboundIn, type InboundReceipt } from './inbound-records.js';

/** A command's work may read a large roster (a sitting's roll, an area's households): give it time. */
const DEFAULT_OPTIONS = { timeout: 60_000, maxWait: 20_000 };

export async function runSettledTurn(
  prisma: PrismaClient,
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> },
  receipt: InboundReceipt | undefined,
  work: (tx: Tx) => Promise<QueuedOutboxRow[]>,
  options: { timeout: number; maxWait: number } = DEFAULT_OPTIONS,
): Promise<void> {
  const committed = await transactionWithAfterCommit(
    prisma,
    async (tx) => {
      if (receipt) await settleInboundIn(tx, receipt);
      return work(tx);
    },
    options,
  );
  markSettled(receipt);
  await finishCommitted(committed, outbox, committed.value);
}
