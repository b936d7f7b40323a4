import { env } from "cloudflare:workers";
import { invalidateCache, resetCatalog, testServices } from "../helpers";
import type { SyncOptions } from "../../src/sync/engine";

/** An offline-database entry with Kensho-test ids (MAL 9xxx, nothing of the real fixture). */
export function entry(mal: number, over: Record<string, unknown> = {}) {
  return {
    sources: [`https://myanimelist.net/anime/${mal}`],
    title: `Sync Test ${mal}`,
    type: "TV",
    episodes: 12,
    status: "FINISHED",
    animeSeason: { season: "SPRING", year: 2001 },
    picture: `https://cdn.example.org/${mal}.jpg`,
    thumbnail: `https://cdn.example.org/${mal}t.jpg`,
    synonyms: [],
    studios: ["Studio Test"],
    producers: [],
    relatedAnime: [],
    tags: ["action"],
    ...over,
  };
}
const anilist = (n: number) => `https://anilist.co/anime/${n}`;
const mal = (n: number) => `https://myanimelist.net/anime/${n}`;

/** Release v1: every rule's "before". */
export const V1 = [
  entry(9001),
  entry(9002),
  entry(9003, { status: "ONGOING" }),
  entry(9004, { status: "ONGOING", episodes: 12 }),
  entry(9005),
  entry(9006),
  entry(9007, { sources: [anilist(9007)] }),
  entry(9008, { sources: [mal(9008), anilist(9008)] }),
  entry(9009),
];

/**
 * Release v2, one line per rule: 9001 unchanged; 9002 retitled (updated); 9003 finished
 * (status → review); 9004 more episodes (→ review); 9005 gone (orphaned); 9006 + 9007 merged
 * into one entry; 9008 split in two (the halves in different chunks); 9009 gone; 9010 new.
 */
export const V2 = [
  entry(9001),
  entry(9002, { title: "Sync Test 9002 (new title)" }),
  entry(9003, { status: "FINISHED" }),
  entry(9004, { status: "ONGOING", episodes: 24 }),
  entry(9006, { sources: [mal(9006), anilist(9007)] }),
  entry(9008, { sources: [mal(9008)] }),
  entry(9010),
  entry(9011, { title: "Sync Test 9008 (second half)", sources: [anilist(9008)] }),
];

/** Release v3: v2 with 9009 back (resurrected). */
export const V3 = [...V2, entry(9009)];

export const jsonl = (entries: unknown[], lastUpdate: string) => [JSON.stringify({ lastUpdate }), ...entries.map((e) => JSON.stringify(e))].join("\n") + "\n";

/** Puts a release into the catalog bucket; returns its r2: source. */
export async function putRelease(name: string, body: string | Uint8Array): Promise<string> {
  await env.CATALOG.put(`sources/${name}`, body);
  return `r2:sources/${name}`;
}

/** An empty catalog and no sync history. */
export async function resetSync(): Promise<void> {
  await resetCatalog();
  await env.DB.batch(["sync_run", "sync_event", "review_item"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
  const staged = await env.CATALOG.list({ prefix: "sync/" });
  if (staged.objects.length > 0) await env.CATALOG.delete(staged.objects.map((o) => o.key));
}

/** The engine as the Worker builds it, with small chunks and no orphan guard (these releases are tiny). */
export const engine = (over: Partial<SyncOptions> = {}) => testServices().syncEngine({ chunkSize: 3, maxOrphanShare: 1, invalidate: invalidateCache, ...over });

/** Runs a sync of `source` to its end; returns the run. */
export async function syncToEnd(source: string, over: Partial<SyncOptions> = {}) {
  const e = engine(over);
  const { run } = await e.begin("test", source);
  while (await e.step(run.id, 60_000));
  return (await e.get(run.id))!;
}

/** The catalog as rows that identify everything a sync decides. */
export async function catalogState() {
  const { results } = await env.DB.prepare("SELECT id, title, status, episodes, system_status, sources FROM anime ORDER BY id").all();
  return results;
}

export const idOf = async (url: string) => (await env.DB.prepare("SELECT anime_id FROM anime_source WHERE url = ?1").bind(url).first<{ anime_id: number }>())?.anime_id;
export { mal, anilist };

/** Source URLs of anime `n` on the first `count` sites (myanimelist first). */
export function onSites(n: number, count: number): string[] {
  const urls = [
    `https://myanimelist.net/anime/${n}`, `https://anilist.co/anime/${n}`, `https://kitsu.app/anime/${n}`, `https://anidb.net/anime/${n}`,
    `https://anime-planet.com/anime/top-test-${n}`, `https://anisearch.com/anime/${n}`, `https://livechart.me/anime/${n}`,
    `https://simkl.com/anime/${n}`, `https://animecountdown.com/${n}`, `https://www.animenewsnetwork.com/encyclopedia/anime.php?id=${n}`,
  ];
  return urls.slice(0, count);
}
