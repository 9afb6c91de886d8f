// Used by `prisma generate` (and by operators who have the Prisma CLI's native engine).
// The app itself applies migrations through the WebAssembly schema engine: see src/db/migrate.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/linli' },
});
