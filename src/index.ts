import { createApp } from "./app";
import { runScheduled } from "./scheduled";

export { VectorIndexObject } from "./search/vector-index/local-object";
export { QuotaObject } from "./access/quota-object";
export { SyncObject } from "./sync/sync-object";

const app = createApp();

/** Worker entry: wires triggers only. */
export default {
  fetch: app.fetch,
  // Awaited, not handed to waitUntil: a failed job marks the invocation failed.
  scheduled: (controller, env, ctx) => runScheduled(controller, env, ctx),
} satisfies ExportedHandler<Env>;
