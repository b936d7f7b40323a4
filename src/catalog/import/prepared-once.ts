/**
 * `db` with prepare() memoised by SQL text, for the length of one import run. A prepared
 * statement is never changed by bind() (which returns a new statement), so reusing it is safe.
 * Why: through wrangler's platform proxy (the CLI import, `npm start`), prepare() and each
 * first use of a method on a new statement are blocking round trips to workerd, ~1.5 ms each,
 * and a batch runs a dozen statements or more.
 */
export function preparedOnce(db: D1Database): D1Database {
  const prepared = new Map<string, D1PreparedStatement>();
  return {
    prepare(query: string): D1PreparedStatement {
      let statement = prepared.get(query);
      if (!statement) prepared.set(query, (statement = db.prepare(query)));
      return statement;
    },
    batch: (statements) => db.batch(statements),
    exec: (query) => db.exec(query),
    withSession: (constraintOrBookmark) => db.withSession(constraintOrBookmark),
    dump: () => db.dump(),
  };
}
