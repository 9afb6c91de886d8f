/** Where the project keeps its schema and migrations, independent of the working directory. */
import { fileURLToPath } from 'node:url';

export const defaultMigrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
export const defaultSchemaPath = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
