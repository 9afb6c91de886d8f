/**
 * For "nothing more arrives" checks, a signal instead of a pause: whatever a message causes is
 * written in the turn that handles it (outbox rows in its transaction), so once no inbound
 * message is still being handled and no outgoing one is unfinished, nothing more of what the
 * test did can arrive.
 */
import type { PrismaClient } from '../../src/db/prisma-types.js';
import { waitFor } from './wait-for.js';

/** Outgoing messages in one of these states are done: sent, or given up. */
const FINISHED = ['sent', 'failed'];

/** Resolves once every inbound message has ended and every outgoing one is sent or given up. */
export async function whenQuiet(prisma: PrismaClient): Promise<void> {
  await waitFor(async () => {
    const [handling, sending] = await Promise.all([
      prisma.inboundMessage.count({ where: { status: 'received' } }),
      prisma.outboxMessage.count({ where: { status: { notIn: FINISHED } } }),
    ]);
    return handling === 0 && sending === 0;
  }, 'the app to have nothing left to handle or send');
}
