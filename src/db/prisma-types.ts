/** The generated client's types under short names, so the rest of the code has one import. */
export { PrismaClient, Prisma } from '../generated/prisma/client.js';
import type { Prisma } from '../generated/prisma/client.js';

/** The client handed to code running inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

/** True for a unique-constraint violation (Prisma error P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/**
 * Prisma error codes of a transaction that failed as a whole before it committed and may simply
 * be run again: it could not start in time (every connection busy: P2028 "Unable to start a
 * transaction in the given time"), ran past its time limit (P2028 too, rolled back), or lost a
 * write conflict or deadlock (P2034).
 */
const RETRYABLE_TRANSACTION_CODES = new Set(['P2028', 'P2034']);
/** PostgreSQL's own codes for the same (plain SQL statements report these): serialization failure, deadlock. */
const RETRYABLE_POSTGRES_CODES = new Set(['40001', '40P01']);

/** True when `error` says a transaction rolled back for load or contention, not for its content. */
export function isRetryableTransactionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (RETRYABLE_TRANSACTION_CODES.has(code) || RETRYABLE_POSTGRES_CODES.has(code))) return true;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' && RETRYABLE_POSTGRES_CODES.has(cause.code);
}
