/**
 * The relevance anchor of the search benchmarks: MiniSearch (BM25-style; fuzzy 0.2, prefix, title
 * boost 2, its default tokenizer and OR of the query terms) over the same catalog the server was
 * started with, built in the benchmark's own process so both figures come from the same run.
 * One document per anime; every MyAnimeList id of its sources points at it.
 */
import MiniSearch from "minisearch";
import { readRelease } from "./release-reader";

export const SAMPLE_CATALOG = "data/sample/anime-offline-database-sample.jsonl.gz";

/** How the anchor searches, as printed beside its figures. */
export const ANCHOR_CONFIG = "MiniSearch 7 (fuzzy 0.2, prefix true, boost title 2)";

export interface AnchorDoc {
  id: number;
  title: string;
  synonyms: string[];
  tags: string[];
  synopsis: string;
}

export interface AnchorCatalog {
  docs: AnchorDoc[];
  /** MyAnimeList id → document id. */
  byMal: Map<string, number>;
}

const MAL = /^https?:\/\/myanimelist\.net\/anime\/(\d+)$/;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

/** The catalog's entries (title, synonyms, tags) and their MAL ids, read from a release file. */
export async function readAnchorCatalog(path = SAMPLE_CATALOG): Promise<AnchorCatalog> {
  const docs: AnchorDoc[] = [];
  const byMal = new Map<string, number>();
  for await (const raw of readRelease(path)) {
    const e = raw as { title?: unknown; synonyms?: unknown; tags?: unknown; sources?: unknown };
    if (typeof e?.title !== "string") continue;
    const id = docs.length;
    docs.push({ id, title: e.title, synonyms: strings(e.synonyms), tags: strings(e.tags), synopsis: "" });
    for (const s of strings(e.sources)) {
      const m = MAL.exec(s);
      if (m && !byMal.has(m[1])) byMal.set(m[1], id);
    }
  }
  return { docs, byMal };
}

/**
 * Attaches the synopses of an enriched file (the shape ../shared/eval/make-enriched.py writes) to
 * the documents with the same MAL id; an entry whose MAL id is not in the catalog becomes a
 * document of its own (as an import would add it). Returns how many synopses were attached.
 */
export function addSynopses(catalog: AnchorCatalog, enriched: { data: unknown[] }): number {
  let attached = 0;
  for (const raw of enriched.data) {
    const e = raw as { title?: unknown; synonyms?: unknown; tags?: unknown; sources?: unknown; synopsis?: unknown };
    if (typeof e?.synopsis !== "string" || !e.synopsis.trim()) continue;
    const mal = strings(e.sources).map((s) => MAL.exec(s)?.[1]).find((x): x is string => !!x);
    if (!mal) continue;
    let id = catalog.byMal.get(mal);
    if (id === undefined) {
      id = catalog.docs.length;
      catalog.docs.push({ id, title: typeof e.title === "string" ? e.title : "", synonyms: strings(e.synonyms), tags: strings(e.tags), synopsis: "" });
      catalog.byMal.set(mal, id);
    }
    catalog.docs[id].synopsis = e.synopsis;
    attached++;
  }
  return attached;
}

export type AnchorField = "title" | "synonyms" | "tags" | "synopsis";

/** A MiniSearch index over `fields` of the documents; `search(q)` returns document ids, best first. */
export function buildAnchor(docs: AnchorDoc[], fields: AnchorField[]): { search: (q: string, limit?: number) => number[] } {
  const index = new MiniSearch<AnchorDoc>({
    fields,
    idField: "id",
    extractField: (doc, field) => {
      const v = (doc as unknown as Record<string, unknown>)[field];
      return Array.isArray(v) ? v.join(" ") : (v as string);
    },
    searchOptions: { fuzzy: 0.2, prefix: true, boost: { title: 2 } },
  });
  index.addAll(docs);
  return { search: (q, limit = 10) => index.search(q).slice(0, limit).map((r) => r.id as number) };
}
