/**
 * The privacy module: the photo quota the router asks before taking a photo in, and the sweep that
 * deletes forgotten photos — every few minutes in a serving process (photos live in its
 * DATA_DIR/uploads), and right after a removal commits (`resident.removed`).
 */
import type { FeatureModule } from '../../modules/index.js';
import { PhotoQuota } from './photo-quota.js';
import { PhotoSweep } from './photo-sweeper.js';
import './privacy-events.js';

/** How often forgotten photos are deleted (a removed person's: within this long, unless at once). */
const PHOTO_SWEEP_EVERY_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export const privacy: FeatureModule = {
  name: 'privacy',
  install({ prisma, communityId, config, logger, events, serve, dataDir }) {
    const quota = new PhotoQuota({ prisma, communityId, dataDir, maxBytes: config.PHOTO_QUOTA_MB * 1024 * 1024, logger });
    const sweep = new PhotoSweep({ prisma, dataDir, retentionMs: config.WITHDRAWN_PHOTO_RETENTION_DAYS * DAY_MS, logger });
    // The removed person's photos go at once, not at the next sweep (conversation turns run where messages arrive).
    events.onCommitted('resident.removed', () => sweep.sweepNow());
    return {
      acceptPhoto: (sender, photo) => quota.accept(sender, photo),
      async start() {
        if (serve) sweep.start(PHOTO_SWEEP_EVERY_MS);
      },
      stop: () => sweep.stop(),
    };
  },
};
