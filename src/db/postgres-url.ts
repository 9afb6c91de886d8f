/**
 * Connection strings for PostgreSQL. Linli's tables live in one schema (normally `public`; a
 * fresh one per test file): Prisma Client qualifies its queries with it, and the migration SQL
 * the schema engine writes is unqualified, so every session also gets it as its `search_path`.
 */

/** Lowercase only: PostgreSQL folds unquoted names, and the name travels unquoted in `search_path`. */
const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export class InvalidSchemaNameError extends Error {
  constructor(schema: string) {
    super(`Database schema name "${schema}" must be lowercase letters, digits and underscores`);
    this.name = 'InvalidSchemaNameError';
  }
}

export interface PostgresTarget {
  /** The server's connection string, without Prisma's `schema` parameter. */
  connectionString: string;
  schema: string;
}

/**
 * Splits a `DATABASE_URL` into the plain connection string and the schema to use: an explicit
 * `schema` wins over the URL's `?schema=` parameter (Prisma's convention), else `public`.
 */
export function resolvePostgresTarget(databaseUrl: string, schema?: string): PostgresTarget {
  const url = new URL(databaseUrl);
  const fromUrl = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const chosen = schema ?? fromUrl ?? 'public';
  if (!schemaNamePattern.test(chosen)) throw new InvalidSchemaNameError(chosen);
  return { connectionString: url.toString(), schema: chosen };
}

/**
 * The connection string with `search_path` set for every session. It goes into the URL's
 * `options` parameter because node-postgres lets URL parameters override a config object's.
 */
export function withSearchPath(target: PostgresTarget): string {
  const url = new URL(target.connectionString);
  const existing = url.searchParams.get('options');
  const option = `-c search_path=${target.schema}`;
  url.searchParams.set('options', existing ? `${existing} ${option}` : option);
  return url.toString();
}
