import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The few column types whose names differ between SQLite and PostgreSQL. */
export function columnTypes(db: Kysely<unknown>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    float: postgres ? ('double precision' as const) : ('real' as const),
    bigint: postgres ? ('bigint' as const) : ('integer' as const),
    bytes: postgres ? ('bytea' as const) : ('blob' as const),
  };
}

/** A CHECK expression limiting a column to a fixed set of values, valid on both dialects. */
export function sqlIn(column: string, values: readonly string[]) {
  return sql<boolean>`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}
