import { openLocalEnv } from "./lib/local-db";
import { KeywordIndex } from "../src/search/keyword/keyword-index";
const { db, dispose } = await openLocalEnv();
const k = new KeywordIndex(db as any);
const qs = process.argv.slice(2);
for (const q of qs) {
  const t = performance.now();
  const hits = await k.search(q, { include_orphaned: false }, 5);
  const ms = performance.now() - t;
  const titles = await (db as any).prepare(`SELECT id, title FROM anime WHERE id IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(hits.map((h) => h.id))).all();
  const m = new Map(titles.results.map((r: any) => [r.id, r.title]));
  console.log(`${q} (${ms.toFixed(1)} ms): ` + hits.map((h) => `${m.get(h.id)} [${h.score.toFixed(2)}]`).join(" | "));
}
await dispose();
