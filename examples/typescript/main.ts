/**
 * The typed client against a running Kensho:
 *
 *   npm start                                   # in another terminal
 *   npx tsx examples/typescript/main.ts [base]  # default http://127.0.0.1:8787
 */
import { kensho, RateLimited } from "./client";

const api = kensho(process.argv[2] ?? "http://127.0.0.1:8787", { apiKey: process.env.KENSHO_API_KEY });
try {
  const [best] = await api.search("cowboy bebop", 3);
  console.log(`search "cowboy bebop" → ${best?.title} (${best?.type}, confidence ${best?.match.confidence})`);
  const anime = best && (await api.getAnime(best.id));
  console.log(`GET /v1/anime/${best?.id} → ${anime?.title}, ${anime?.episodes} episodes, ${anime?.genres.join(", ")}`);
  console.log(`GET /v1/anime/999999999 → ${(await api.getAnime(999_999_999)) ?? "null (404)"}`);
} catch (err) {
  if (err instanceof RateLimited) console.error(`rate limited: retry in ${err.retryAfterSeconds} s`);
  else throw err;
}
