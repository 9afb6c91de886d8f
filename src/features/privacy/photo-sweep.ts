/**
 * Photos leave in two steps. First they are *forgotten*, in the transaction that decides it: no
 * ticket or event points at them any more and their `StoredPhoto` row is marked — when their
 * person is removed (`forgetPhotosOf`), or when the ticket they belong to was withdrawn longer
 * ago than the retention time (`forgetWithdrawnPhotos`). Then the sweep (`deleteForgottenPhotos`,
 * in the process that holds DATA_DIR/uploads) deletes the files and the rows. A file whose row
 * is gone is gone; a crash between the two steps only delays the deletion to the next sweep.
 */
import { deleteUpload } from '../../channels/media/photo-files.js';
import type { PrismaClient, Tx } from '../../db/prisma-types.js';

/** How many photos one sweep handles at most (the next sweep takes the rest). */
const BATCH = 500;

/** Marks photos as forgotten, adding a row for any stored before rows were kept. */
async function markForgotten(tx: Tx, communityId: string, refs: readonly string[], at: Date): Promise<void> {
  if (refs.length === 0) return;
  await tx.storedPhoto.createMany({ data: refs.map((ref) => ({ communityId, ref, bytes: 0, forgottenAt: at })), skipDuplicates: true });
  await tx.storedPhoto.updateMany({ where: { ref: { in: [...refs] }, forgottenAt: null }, data: { forgottenAt: at } });
}

/**
 * Everything a person sent, and the photos of the tickets they reported or filed: forgotten, in
 * the removal's transaction. Resolves to how many photos.
 */
export async function forgetPhotosOf(tx: Tx, input: { communityId: string; residentId: string; accountIds: readonly string[]; at: Date }): Promise<number> {
  const { communityId, residentId, accountIds, at } = input;
  const sent = await tx.storedPhoto.findMany({
    where: { communityId, forgottenAt: null, OR: [{ residentId }, { chatAccountId: { in: [...accountIds] } }] },
    select: { ref: true },
  });
  const tickets = await tx.ticket.findMany({
    where: { communityId, OR: [{ reporterId: residentId }, { filedById: residentId }], NOT: { photos: { isEmpty: true } } },
    select: { id: true, photos: true },
  });
  await tx.ticket.updateMany({ where: { id: { in: tickets.map((ticket) => ticket.id) } }, data: { photos: [] } });
  const refs = [...new Set([...sent.map((row) => row.ref), ...tickets.flatMap((ticket) => ticket.photos)])];
  // The same photos anywhere else they were copied to (a ticket's events, another's ticket).
  await tx.ticketEvent.updateMany({ where: { photos: { hasSome: refs } }, data: { photos: [] } });
  await markForgotten(tx, communityId, refs, at);
  return refs.length;
}

/** The photos of tickets withdrawn before `withdrawnBefore`: forgotten. Resolves to how many. */
export async function forgetWithdrawnPhotos(prisma: PrismaClient, withdrawnBefore: Date, at: Date): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const tickets = await tx.ticket.findMany({
      where: { status: 'withdrawn', finishedAt: { lt: withdrawnBefore }, OR: [{ NOT: { photos: { isEmpty: true } } }, { events: { some: { NOT: { photos: { isEmpty: true } } } } }] },
      select: { id: true, communityId: true, photos: true, events: { where: { NOT: { photos: { isEmpty: true } } }, select: { photos: true } } },
      take: BATCH,
    });
    let count = 0;
    for (const ticket of tickets) {
      const refs = [...new Set([...ticket.photos, ...ticket.events.flatMap((event) => event.photos)])];
      await tx.ticket.update({ where: { id: ticket.id }, data: { photos: [] }, select: { id: true } });
      await tx.ticketEvent.updateMany({ where: { ticketId: ticket.id }, data: { photos: [] } });
      await markForgotten(tx, ticket.communityId, refs, at);
      count += refs.length;
    }
    return count;
  });
}

/** Deletes the files of forgotten photos, then their rows. Resolves to how many rows went. */
export async function deleteForgottenPhotos(prisma: PrismaClient, dataDir: string): Promise<number> {
  const rows = await prisma.storedPhoto.findMany({ where: { forgottenAt: { not: null } }, select: { id: true, ref: true }, take: BATCH });
  for (const row of rows) await deleteUpload(dataDir, row.ref);
  const deleted = await prisma.storedPhoto.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
  return deleted.count;
}
