/**
 * Photos a person may keep stored: each photo that arrives (any channel, already written to
 * DATA_DIR/uploads by the channel) is recorded against who sent it; one that would take the
 * person past their quota is deleted again and refused — they are told, politely, and what was
 * accepted before stays. "The person" is the resident once bound, else the chat account.
 */
import { deleteUpload, uploadSize } from '../../channels/media/photo-files.js';
import type { PrismaClient } from '../../db/prisma-types.js';
import type { Logger } from '../../log/logger.js';

export interface PhotoQuotaDeps {
  prisma: PrismaClient;
  communityId: string;
  dataDir: string;
  /** PHOTO_QUOTA_MB in bytes. */
  maxBytes: number;
  logger: Logger;
}

/** Who sent the photo. */
export interface PhotoSender {
  chatAccountId: string;
  residentId: string | null;
}

export class PhotoQuota {
  constructor(private readonly deps: PhotoQuotaDeps) {}

  /** Records the photo and returns true, or deletes it and returns false when over the quota. */
  async accept(sender: PhotoSender, photo: { ref: string; bytes?: number | undefined }): Promise<boolean> {
    const { prisma, communityId, dataDir, maxBytes, logger } = this.deps;
    const bytes = photo.bytes ?? (await uploadSize(dataDir, photo.ref));
    const owner = sender.residentId ? { residentId: sender.residentId } : { chatAccountId: sender.chatAccountId, residentId: null };
    const used = await prisma.storedPhoto.aggregate({ where: { communityId, forgottenAt: null, ...owner }, _sum: { bytes: true } });
    if ((used._sum.bytes ?? 0) + bytes > maxBytes) {
      await deleteUpload(dataDir, photo.ref);
      logger.info({ chatAccountId: sender.chatAccountId, usedBytes: used._sum.bytes ?? 0, bytes }, 'photo refused: over the quota');
      return false;
    }
    // A re-delivered message brings the same reference: recorded once.
    await prisma.storedPhoto.createMany({
      data: [{ communityId, ref: photo.ref, chatAccountId: sender.chatAccountId, residentId: sender.residentId, bytes }],
      skipDuplicates: true,
    });
    return true;
  }
}
