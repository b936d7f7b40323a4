import { z } from "@hono/zod-openapi";
import { AnimeSchema } from "../../catalog/anime-schema";

export const MatchSchema = z
  .object({
    score: z.number().openapi({ description: "Fused score: Σ 1/(60 + rank) over the legs that found the anime, plus the keyword match-class boost (see explain.boost)." }),
    keyword_rank: z.number().int().nullable().openapi({ description: "1-based rank in the keyword leg; null if that leg did not return it." }),
    vector_rank: z.number().int().nullable().openapi({ description: "1-based rank in the vector leg; null if that leg did not return it." }),
    explain: z
      .object({
        keyword_score: z.number().nullable().openapi({ description: "Keyword relevance (exact, prefix, all-words, trigram similarity, franchise root)." }),
        vector_score: z.number().nullable().openapi({ description: "Cosine similarity of the query and the anime's embedding." }),
        boost: z.number().openapi({ description: "Added by the keyword leg's match class: 0.06 exact title, 0.04 exact synonym, 0.02 a name the query starts; otherwise 0.02 × (trigram similarity of the closest name)²." }),
      })
      .optional()
      .openapi({ description: "Per-leg scores, with explain=true." }),
  })
  .openapi("SearchMatch");

export const SimilaritySchema = z
  .object({
    score: z.number().openapi({ description: "0.65 × vector cosine + 0.35 × genre overlap." }),
    vector_score: z.number().nullable().openapi({ description: "Cosine similarity of the two anime's embeddings; null if not among the vector neighbours." }),
    genre_overlap: z.number().openapi({ description: "Jaccard overlap of the genre/tag sets, 0–1." }),
  })
  .openapi("Similarity");

export const DegradedSchema = z
  .array(z.enum(["vector"]))
  .openapi({ description: 'Legs that could not be used: ["vector"] when semantic search failed, timed out or is switched off; the results then come from the keyword index alone.' });

export const SearchHitSchema = AnimeSchema.partial().extend({ match: MatchSchema }).openapi("SearchHit");
export const SimilarHitSchema = AnimeSchema.partial().extend({ similarity: SimilaritySchema }).openapi("SimilarHit");

export const SearchResponseSchema = z
  .object({
    data: z.array(SearchHitSchema),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` (with the same q, mode and filters) for the next page; null on the last page." }),
    mode: z.enum(["hybrid", "keyword", "semantic"]),
    degraded: DegradedSchema,
  })
  .openapi("SearchResults");
