/**
 * `npm run db:diff -- <name>`: writes `prisma/migrations/<yyyyMMddHHmmss>_<name>/migration.sql`
 * with the SQL that takes the existing migrations to what `prisma/schema.prisma` describes.
 * Needs no database: the migrations are replayed into a throwaway in-memory PGlite. Prints
 * "no changes" and writes nothing when the schema matches the migrations.
 */
import { relative } from 'node:path';
import { createMigration } from '../db/create-migration.js';
import { firstLine } from './first-line.js';

async function main(): Promise<void> {
  const name = process.argv.slice(2).join(' ').trim();
  if (!name) {
    console.error('usage: npm run db:diff -- <name>   (e.g. npm run db:diff -- add_tickets)');
    process.exitCode = 1;
    return;
  }
  const created = await createMigration(name);
  console.log(created ? `Wrote ${relative(process.cwd(), created.file)}` : 'no changes');
}

main().catch((error: unknown) => {
  console.error(`db:diff failed: ${firstLine(error)}`);
  process.exitCode = 1;
});
