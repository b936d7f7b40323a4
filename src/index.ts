import { createApp } from "./app";
import { indexPendingSearch } from "./search/scheduled";

export { VectorIndexObject } from "./search/vector-index/local-object";

const app = createApp();

/** Worker entry: wires triggers only. */
export default {
  fetch: app.fetch,
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(indexPendingSearch(env));
  },
} satisfies ExportedHandler<Env>;
