/** A member's name as staff see it in the staff chat (the inbox names staff the same way). */
import type { Tx } from '../../../../db/prisma-types.js';

export async function memberName(tx: Tx, residentId: string): Promise<string> {
  const resident = await tx.resident.findUnique({ where: { id: residentId }, select: { name: true } });
  return resident?.name ?? '';
}
