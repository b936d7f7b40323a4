/**
 * Times an import of a release file into a fresh local D1: npm start's first import, alone.
 *
 *   npx tsx scripts/bench-import.ts [file] [--persist <dir>] [--profile]
 *
 * Applies the migrations to an empty persist dir (default: a new temporary one, removed
 * after), imports the file (default: the sample npm start imports) and prints the wall time
 * and the CPU time of this process (reading, validation, hashing, planning, the platform
 * proxy's round trips; the SQL runs in workerd). --profile runs each statement of a batch in
 * a transaction of its own (not atomic: for measuring only) and prints the time of each kind
 * (the first statement of a batch also counts what this process does meanwhile for the next).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import { importEntries } from "../src/catalog/import/importer";
import { readRelease } from "./lib/release-reader";

const args = process.argv.slice(2);
const persistAt = args.indexOf("--persist");
const file = args.find((a, i) => !a.startsWith("--") && i !== persistAt + 1) ?? "data/sample/anime-offline-database-sample.jsonl.gz";
const persist = persistAt >= 0 ? args[persistAt + 1] : mkdtempSync(join(tmpdir(), "kensho-import-"));
const profile = args.includes("--profile");

rmSync(persist, { recursive: true, force: true });
const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { stdio: "ignore", env: { ...process.env, CI: "true" } });
if (migrate.status !== 0) throw new Error("applying the migrations failed");

const proxy = await getPlatformProxy<Env>({ configPath: "wrangler.toml", persist: { path: join(persist, "v3") } });
const db = proxy.env.DB;

/** Time per kind of statement, with each statement of a batch run on its own. */
const spent = new Map<string, number>();
function profiled(db: D1Database): D1Database {
  const sqlOf = new WeakMap<D1PreparedStatement, string>();
  const kind = (sql: string) => sql.replace(/\s+/g, " ").trim().slice(0, 60);
  const withSql = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    sqlOf.set(statement, sql);
    return statement;
  };
  return {
    // Plain objects around the proxy's (a Proxy over them would cost a round trip per property).
    prepare(sql: string) {
      const statement = db.prepare(sql);
      return withSql({ ...Object.fromEntries(["first", "run", "all", "raw"].map((m) => [m, (...a: never[]) => (statement as any)[m](...a)])), bind: (...v: unknown[]) => withSql(statement.bind(...v), sql) } as unknown as D1PreparedStatement, sql);
    },
    async batch<T>(statements: D1PreparedStatement[]) {
      const results: D1Result<T>[] = [];
      for (const s of statements) {
        const started = performance.now();
        results.push(...(await db.batch<T>([s])));
        const key = kind(sqlOf.get(s) ?? "?");
        spent.set(key, (spent.get(key) ?? 0) + performance.now() - started);
      }
      return results;
    },
    exec: (sql) => db.exec(sql),
    withSession: (c) => db.withSession(c),
    dump: () => db.dump(),
  };
}

const cpu = process.cpuUsage();
const started = performance.now();
const report = await importEntries(profile ? profiled(db) : db, readRelease(file), { source: "bench", invalidate: async () => {} });
const wall = (performance.now() - started) / 1000;
const { user, system } = process.cpuUsage(cpu);
console.log(`${report.total} entries: ${report.inserted} inserted, ${report.invalid} invalid, ${report.batches} batches`);
console.log(`wall ${wall.toFixed(2)} s (${Math.round(report.total / wall)} entries/s); CPU of this process ${((user + system) / 1e6).toFixed(2)} s`);
for (const [k, ms] of [...spent].sort((a, b) => b[1] - a[1])) console.log(`  ${(ms / 1000).toFixed(2)} s  ${k}`);
await proxy.dispose();
if (persistAt < 0) rmSync(persist, { recursive: true, force: true });
