/**
 * A typed Kensho client in a few lines: types generated from the OpenAPI document by
 * openapi-typescript (kensho-api.d.ts), requests made by openapi-fetch. What an app needs
 * around it: a key in a header, a 404 as "not there" rather than an error, and a 429 with the
 * seconds to wait (Retry-After) so the caller can back off.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./kensho-api";

export type Anime = components["schemas"]["Anime"];
export type SearchHit = components["schemas"]["SearchHit"];
export type Problem = components["schemas"]["Problem"];

/** Any problem answer (RFC 9457), with its stable `code` and request id. */
export class KenshoError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail} (request ${problem.request_id})`);
  }
}

/** 429: a limit is spent; retry after `retryAfterSeconds`. */
export class RateLimited extends KenshoError {
  constructor(problem: Problem, readonly retryAfterSeconds: number) {
    super(problem);
  }
}

export interface KenshoOptions {
  /** An API key (`ksk_…`); anonymous without one. */
  apiKey?: string;
  /** The fetch to use (tests pass the Worker's own). */
  fetch?: (request: Request) => Promise<Response>;
}

export function kensho(baseUrl: string, options: KenshoOptions = {}) {
  const client = createClient<paths>({
    baseUrl,
    fetch: options.fetch,
    headers: options.apiKey ? { "X-API-Key": options.apiKey } : {},
  });
  const fail = (problem: Problem, response: Response): never => {
    if (response.status === 429) throw new RateLimited(problem, Number(response.headers.get("Retry-After") ?? "1"));
    throw new KenshoError(problem);
  };

  return {
    /** Hybrid search; the best `limit` hits, each with `match.score` and `match.confidence`. */
    async search(q: string, limit = 10): Promise<SearchHit[]> {
      const { data, error, response } = await client.GET("/v1/search", { params: { query: { q, limit } } });
      if (error) return fail(error, response);
      return data.data;
    },
    /** One anime by Kensho id; null when there is none (a 404 problem). */
    async getAnime(id: number): Promise<Anime | null> {
      const { data, error, response } = await client.GET("/v1/anime/{id}", { params: { path: { id } } });
      if (response.status === 404) return null;
      if (error) return fail(error, response);
      return data;
    },
  };
}
