import { z } from "@hono/zod-openapi";

const BOOLEAN_SPELLINGS = ["true", "false", "1", "0"] as const;

/**
 * A boolean query parameter: `true`/`1` or `false`/`0`, false when absent; anything else is a
 * 400 naming the parameter. The document shows it as what it is, `type: boolean` (default false).
 */
export const queryBoolean = (description: string) =>
  z
    .enum(BOOLEAN_SPELLINGS, { error: "expected true, false, 1 or 0" })
    .optional()
    .transform((v) => v === "true" || v === "1")
    .openapi({ type: "boolean", default: false, description });
