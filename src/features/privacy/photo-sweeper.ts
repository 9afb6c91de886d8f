/**
 * Runs the photo sweep (`photo-sweep.ts`) at start and then now and then, one at a time: the
 * photos of tickets withdrawn longer ago than the retention time are forgotten, then every
 * forgotten photo's file is deleted. Safe in several processes at once (each step is idempotent).
 */
import type { PrismaClient } from '../../db/prisma-types.js';
import type { Logger } from '../../log/logger.js';
import { deleteForgottenPhotos, forgetWithdrawnPhotos } from './photo-sweep.js';

export interface PhotoSweepDeps {
  prisma: PrismaClient;
  dataDir: string;
  /** WITHDRAWN_PHOTO_RETENTION_DAYS in milliseconds. */
  retentionMs: number;
  logger: Logger;
  now?: () => Date;
}

export class PhotoSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PhotoSweepDeps) {}

  /** One sweep now (after any still running); resolves when it is done. */
  sweepNow(): Promise<void> {
    this.running = this.running.then(() => this.sweep()).catch((error: unknown) =>
      this.deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'photo sweep failed'),
    );
    return this.running;
  }

  start(everyMs: number): void {
    if (this.timer) return;
    void this.sweepNow();
    this.timer = setInterval(() => void this.sweepNow(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async sweep(): Promise<void> {
    const { prisma, dataDir, retentionMs, logger } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const withdrawn = await forgetWithdrawnPhotos(prisma, new Date(now.getTime() - retentionMs), now);
    let deleted = 0;
    for (let batch = await deleteForgottenPhotos(prisma, dataDir); batch > 0; batch = await deleteForgottenPhotos(prisma, dataDir)) deleted += batch;
    if (withdrawn > 0 || deleted > 0) logger.info({ withdrawnTicketPhotos: withdrawn, photosDeleted: deleted }, 'photo sweep');
  }
}
