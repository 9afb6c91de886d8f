/**
 * Where an app under a benchmark keeps its data for one run, and how to remove it afterwards:
 * embedded PGlite in a temporary folder, or PostgreSQL (a fresh schema) with Redis (a fresh key
 * prefix). The same data folder, schema and prefix can be handed to a second process (a restart
 * after a kill) before `cleanUp`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisPrefix, displayUrl, dropSchemas, freshName, withSchema } from './bench-services.js';

export type AppBackendKind = 'embedded' | 'postgres';

export interface AppBackend {
  /** Settings (environment names) for the app. */
  env: Record<string, string>;
  /** The queues' Redis key prefix (PostgreSQL + Redis only). */
  queuePrefix?: string;
  /** One line saying where, for the bench's output. */
  describe: string;
  cleanUp: () => Promise<void>;
}

export function appBackend(kind: AppBackendKind, urls: { postgresUrl: string; redisUrl: string }, stem: string, log: (line: string) => void): AppBackend {
  const dataDir = mkdtempSync(join(tmpdir(), `linli-bench-${stem}-`));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'embedded') {
    return { env: { DATA_DIR: dataDir }, describe: `embedded PGlite in ${dataDir} (removed afterwards)`, cleanUp: async () => removeDir() };
  }
  const schema = freshName(`bench_${stem}_`);
  const prefix = freshName(`bench${stem.slice(0, 1)}`);
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: withSchema(urls.postgresUrl, schema), REDIS_URL: urls.redisUrl, LINLI_SECRET: randomBytes(32).toString('hex') },
    queuePrefix: prefix,
    describe: `PostgreSQL ${displayUrl(urls.postgresUrl)} schema ${schema}, Redis ${displayUrl(urls.redisUrl)} prefix ${prefix} (both removed afterwards)`,
    async cleanUp() {
      await dropSchemas(urls.postgresUrl, [schema, `${schema}_bullmq`]).catch((error: unknown) => log(`could not drop schema ${schema}: ${String(error)}`));
      await deleteRedisPrefix(urls.redisUrl, prefix).catch((error: unknown) => log(`could not delete Redis keys under ${prefix}: ${String(error)}`));
      removeDir();
    },
  };
}
