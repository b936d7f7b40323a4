import { z } from "@hono/zod-openapi";
import { ADMIN_ONLY } from "../../openapi/security";

/** Every admin route: the ADMIN_TOKEN bearer scheme. */
export const security = ADMIN_ONLY;

/** A positive decimal id in the path (not `0x5`, not `5e0`: one spelling per resource). */
export const IdParam = z.object({
  id: z.string().regex(/^[1-9][0-9]{0,14}$/, "a positive decimal integer").transform(Number).openapi({ param: { name: "id", in: "path" }, example: "1" }),
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
