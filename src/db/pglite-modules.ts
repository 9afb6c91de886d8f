/**
 * PGlite and its Prisma adapter, loaded only when the embedded database is used: importing them
 * costs tens of megabytes that a deployment on PostgreSQL should not pay.
 */
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import type { PrismaPGlite } from 'pglite-prisma-adapter';
import { shareEventLoop, type EventLoopShareOptions } from './event-loop-share.js';

/**
 * PGlite's Postgres keeps 128 MB of shared buffers by default; the embedded default serves one
 * community on a small machine, and 16 MB lowers its resident memory by about a third.
 */
const SMALL_MACHINE_SETTINGS = ['-c', 'shared_buffers=16MB'];

export async function newPglite(options: PGliteOptions = {}, share: EventLoopShareOptions = {}): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  // `startParams` replaces PGlite's own parameters, so they are repeated here.
  const pglite = new PGlite({ ...options, startParams: [...PGlite.defaultStartParams, ...SMALL_MACHINE_SETTINGS] });
  // Its statements never go back to the event loop on their own: under load nothing else would run.
  shareEventLoop(pglite, share);
  return pglite;
}

export async function newPrismaPglite(pglite: PGlite): Promise<PrismaPGlite> {
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  return new PrismaPGlite(pglite);
}
