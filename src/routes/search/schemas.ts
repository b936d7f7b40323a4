import { z } from "@hono/zod-openapi";
import { AnimeSchema } from "../../catalog/anime-schema";

export const MatchSchema = z
  .object({
    score: z.number().openapi({ description: "Fused score: 1/(k + keyword rank) + vector_weight × c/(60 + vector rank), c the vector match's calibrated confidence (k = 60, or 5 for a known-item query), over the legs that found the anime, plus the keyword match-class boost (see explain)." }),
    confidence: z.number().openapi({
      description:
        "How surely this anime answers the query, 0–1: 1 = the query is its title or a synonym; 0.85 = a name the query starts; 0.7 = every query word in its names; otherwise the spelling similarity of its closest name, 0.9 × the share of a description's words its tags and synopsis hold, or the embedder's calibrated cosine — the highest of these. Hits under min_confidence are not returned (src/search/relevance.ts).",
      example: 1,
    }),
    keyword_rank: z.number().int().nullable().openapi({ description: "1-based rank in the keyword leg; null if that leg did not return it." }),
    vector_rank: z.number().int().nullable().openapi({ description: "1-based rank in the vector leg; null if that leg did not return it." }),
    explain: z
      .object({
        keyword_score: z.number().nullable().openapi({ description: "Keyword relevance (exact, prefix, all-words, trigram similarity, franchise root)." }),
        vector_score: z.number().nullable().openapi({ description: "Cosine similarity of the query and the anime's embedding." }),
        boost: z.number().openapi({ description: "Added by the keyword leg's match class: 0.06 the title or a synonym, 0.02 a name the query starts; otherwise 0.02 × (trigram similarity of the closest name)²." }),
        vector_weight: z.number().openapi({ description: "Weight of the vector leg's ranks in this query: lower for a known-item query (a name matched) and for the local lexical embedder (src/search/relevance.ts)." }),
      })
      .optional()
      .openapi({ description: "Per-leg scores, with explain=true." }),
  })
  .openapi("SearchMatch");

export const SimilaritySchema = z
  .object({
    score: z.number().openapi({
      description:
        "(0.5 × vector_score + 0.5 × tag_score, or tag_score alone when the vector leg is unavailable; a hit the vector leg did not return counts its weakest cosine) + 0.3 if related (scaled down below a tag_score of 0.2 when not a vector neighbour), × (0.85 + 0.15 × prior). Hits with neither a vector_score nor a tag_score above 0 come after all others.",
    }),
    vector_score: z.number().nullable().openapi({ description: "Cosine similarity of the two anime's embeddings; null if not among the vector neighbours." }),
    tag_score: z.number().openapi({ description: "Cosine of the two tag sets, each tag weighted by its rarity (ln(active anime / anime with the tag)), 0–1: a shared rare tag counts far more than a shared common one." }),
    shared_tags: z.array(z.string()).openapi({ description: "Up to 5 shared tags, most informative (rarest) first." }),
    related: z.boolean().openapi({ description: "Of the anime's franchise (related either way, or a title extending the other's); always false with exclude_related=true, which drops them." }),
    prior: z.number().openapi({ description: "Popularity prior, 0–1 (sites listing it × its score; 0 when unscored): orders near-ties only." }),
    genre_overlap: z.number().openapi({ description: "Unweighted Jaccard overlap of the tag sets, 0–1 (for reference; the ranking uses tag_score)." }),
  })
  .openapi("Similarity");

export const DegradedSchema = z
  .array(z.enum(["vector"]))
  .openapi({ description: 'Legs that could not be used: ["vector"] when semantic search failed, timed out or is switched off; the results then come from the keyword index alone.' });

export const SearchHitSchema = AnimeSchema.extend({ match: MatchSchema }).openapi("SearchHit", {
  description: "An anime and how it matched. `match` is always present; with `fields=a,b` the anime carries only the fields listed (without `fields`, every required field of Anime).",
});
export const SimilarHitSchema = AnimeSchema.extend({ similarity: SimilaritySchema }).openapi("SimilarHit", {
  description: "An anime and why it is similar. `similarity` is always present; with `fields=a,b` the anime carries only the fields listed (without `fields`, every required field of Anime).",
});

export const SearchResponseSchema = z
  .object({
    data: z.array(SearchHitSchema),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` (with the same q, mode and filters) for the next page; null on the last page." }),
    mode: z.enum(["hybrid", "keyword", "semantic"]),
    degraded: DegradedSchema,
  })
  .openapi("SearchResults");
