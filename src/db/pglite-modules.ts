/**
 * PGlite and its Prisma adapter, loaded only when the embedded database is used: importing them
 * costs tens of megabytes that a deployment on PostgreSQL should not pay.
 */
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import type { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * PGlite's Postgres keeps 128 MB of shared buffers by default; the embedded default serves one
 * community on a small machine, and 16 MB lowers its resident memory by about a third.
 */
const SMALL_MACHINE_SETTINGS = ['-c', 'shared_buffers=16MB'];

export async function newPglite(options: PGliteOptions = {}): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  // `startParams` replaces PGlite's own parameters, so they are repeated here.
  return new PGlite({ ...options, startParams: [...PGlite.defaultStartParams, ...SMALL_MACHINE_SETTINGS] });
}

export async function newPrismaPglite(pglite: PGlite): Promise<PrismaPGlite> {
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  return new PrismaPGlite(pglite);
}
