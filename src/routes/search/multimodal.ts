import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { ApiError } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { AnimeSchema } from "../../catalog/anime-schema";
import { bodyFields, imageFrom, imageSearchUnavailable, nearestActive } from "./image";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";
import { noteDegraded } from "../../observability/request-metrics";

/** Candidates per leg before blending: enough for a page of 50 and a few disagreements. */
const LEG_DEPTH = 50;
/** RRF's constant: a rank's weight is 1 / (K + rank). */
const K = 60;

const Fields = z
  .object({
    q: z.string().trim().min(1).max(500),
    text_weight: z.coerce.number().min(0).max(1).default(0.5).openapi({ description: "0 = the image alone, 1 = the text alone." }),
    url: z.string().max(2000).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();
const Result = z
  .object({
    data: z.array(
      z.object({
        score: z.number().openapi({ description: "Weighted reciprocal-rank fusion of the two legs." }),
        text_rank: z.number().int().nullable(),
        image_rank: z.number().int().nullable(),
        anime: AnimeSchema,
      }),
    ),
    text_weight: z.number(),
    model: z.string(),
    degraded: z
      .array(z.enum(["vector", "image"]))
      .openapi({ description: '"vector": the text leg answered from the keyword index alone (as GET /v1/search); "image": the image leg failed or timed out, so the ranking is the text leg\'s alone.' }),
  })
  .openapi("MultimodalSearchResult");

export const multimodalRoute = createRoute({
  method: "post",
  path: "/search/multimodal",
  tags: ["Search"],
  operationId: "searchMultimodal",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Search by words and an image together",
  description:
    "JSON `{q, url, text_weight?, limit?}`, or multipart/form-data with `file` and the same fields. The text leg is the hybrid search of GET /v1/search, the image leg that of POST /v1/search/image; each leg's first 50 are blended by weighted reciprocal rank (text_weight / (60 + text rank) + (1 − text_weight) / (60 + image rank)). The image limits are those of POST /v1/search/image. If the image leg fails or times out, the text leg answers alone with `degraded: [\"image\"]` (503 when text_weight is 0: the image alone was asked for).",
  request: { query: z.object({}).strict() },
  responses: { 200: { description: "The blended ranking.", content: { "application/json": { schema: Result } } }, ...problemResponses(400, 413, 415, 503), ...meteredResponses() },
});

export const multimodal: RouteHandler<typeof multimodalRoute, AppEnv> = async (c) => {
  const body = await bodyFields(c.req.raw);
  const parsed = Fields.safeParse(body.fields);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ param: i.path.join(".") || "body", message: i.message }));
    throw new ApiError("validation_failed", errors.map((e) => `${e.param}: ${e.message}`).join("; "), { errors });
  }
  const { q, text_weight: w, limit } = parsed.data;
  const backend = c.var.services.imageSearch;
  const picture = await imageFrom(body, c.var.services.config);
  const [text, leg] = await Promise.all([c.var.services.search.search({ q, mode: "hybrid", filters: {}, limit: LEG_DEPTH }), nearestActive(backend, c.var.services.catalog, picture, LEG_DEPTH)]);
  const degraded: ("vector" | "image")[] = [...text.degraded];
  if (!leg.ok) {
    c.var.services.log.warn("image_search.unavailable", { model: backend.model, reason: leg.reason, message: leg.message });
    if (w === 0) throw imageSearchUnavailable(leg);
    degraded.push("image");
  }
  const image = leg.ok ? leg.hits : [];
  // Both legs carry their anime already: no second read.
  const anime = new Map([...text.hits.map((h) => [h.anime.id, h.anime] as const), ...image.map((m) => [m.id, m.anime] as const)]);
  const blended = new Map<number, { score: number; text_rank: number | null; image_rank: number | null }>();
  const add = (id: number, rank: number, weight: number, leg: "text_rank" | "image_rank") => {
    const e = blended.get(id) ?? { score: 0, text_rank: null, image_rank: null };
    e.score += weight / (K + rank);
    e[leg] = rank;
    blended.set(id, e);
  };
  text.hits.forEach((h, i) => add(h.anime.id, i + 1, w, "text_rank"));
  image.forEach((m, i) => add(m.id, i + 1, 1 - w, "image_rank"));
  const top = [...blended.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, limit);
  c.header("Cache-Control", "no-store");
  noteDegraded(c, degraded);
  return c.json(
    {
      data: top.filter(([id]) => anime.has(id)).map(([id, e]) => ({ score: Math.round(e.score * 1e6) / 1e6, text_rank: e.text_rank, image_rank: e.image_rank, anime: anime.get(id)! })),
      text_weight: w,
      model: backend.model,
      degraded,
    },
    200,
  );
};
