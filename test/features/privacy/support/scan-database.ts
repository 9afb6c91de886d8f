/**
 * Searches every table of the test database (its own schema) for a piece of text, row by row as
 * PostgreSQL prints it: "this phone number is nowhere any more" can then be checked, whatever
 * tables later features add.
 */
import type { PrismaClient } from '../../../../src/db/prisma-types.js';

/** Tables (of the current schema) with at least one row containing `needle`, and how many. */
export async function tablesContaining(prisma: PrismaClient, needle: string): Promise<Record<string, number>> {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`;
  const found: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ hits: bigint | number }[]>(
      `SELECT count(*) AS hits FROM "${table.replace(/"/g, '""')}" t WHERE position($1 in t::text) > 0`,
      needle,
    );
    const hits = Number(row?.hits ?? 0);
    if (hits > 0) found[table] = hits;
  }
  return found;
}
