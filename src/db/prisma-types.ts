/** The generated client's types under short names, so the rest of the code has one import. */
export { PrismaClient, Prisma } from '../generated/prisma/client.js';
import type { Prisma } from '../generated/prisma/client.js';

/** The client handed to code running inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;

/** True for a unique-constraint violation (Prisma error P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
