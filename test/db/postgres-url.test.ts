import { describe, expect, it } from 'vitest';
import { InvalidSchemaNameError, resolvePostgresTarget, withSearchPath } from '../../src/db/postgres-url.js';

describe('PostgreSQL connection strings', () => {
  it('uses public when no schema is given', () => {
    expect(resolvePostgresTarget('postgresql://u:p@db:5432/linli')).toEqual({
      connectionString: 'postgresql://u:p@db:5432/linli',
      schema: 'public',
    });
  });

  it("takes Prisma's ?schema= parameter out of the URL, and an explicit schema wins over it", () => {
    const url = 'postgresql://db/linli?schema=app&sslmode=require';
    expect(resolvePostgresTarget(url)).toEqual({ connectionString: 'postgresql://db/linli?sslmode=require', schema: 'app' });
    expect(resolvePostgresTarget(url, 't_1').schema).toBe('t_1');
  });

  it('rejects schema names that would need quoting', () => {
    expect(() => resolvePostgresTarget('postgresql://db/linli', 'App')).toThrow(InvalidSchemaNameError);
    expect(() => resolvePostgresTarget('postgresql://db/linli?schema=a;drop')).toThrow(InvalidSchemaNameError);
  });

  it('sets the search path in the URL, keeping other session options', () => {
    const plain = new URL(withSearchPath({ connectionString: 'postgresql://db/linli', schema: 't_1' }));
    expect(plain.searchParams.get('options')).toBe('-c search_path=t_1');
    const withOptions = new URL(
      withSearchPath({ connectionString: 'postgresql://db/linli?options=-c%20statement_timeout%3D5000', schema: 'app' }),
    );
    expect(withOptions.searchParams.get('options')).toBe('-c statement_timeout=5000 -c search_path=app');
  });
});
