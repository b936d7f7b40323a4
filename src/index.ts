import { createApp } from "./app";

const app = createApp();

/** Worker entry: wires triggers only. */
export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
