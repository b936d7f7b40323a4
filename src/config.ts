import { z } from "zod";

/** Plain vars of the Worker, validated once per isolate (bindings are typed by `wrangler types`). */
const VarsSchema = z.object({
  ENVIRONMENT: z.enum(["local", "production"]).default("local"),
  LOG_LEVEL: z.enum(["silent", "error", "info"]).default("info"),
});
export type Config = z.infer<typeof VarsSchema>;

// Deliberate per-isolate cache: env is fixed for the isolate's lifetime.
const parsed = new WeakMap<object, Config>();

/** Parses the vars; a misconfigured deployment fails loudly on its first request. */
export function configOf(env: Env): Config {
  let config = parsed.get(env);
  if (!config) {
    config = VarsSchema.parse({ ENVIRONMENT: env.ENVIRONMENT, LOG_LEVEL: env.LOG_LEVEL });
    parsed.set(env, config);
  }
  return config;
}
