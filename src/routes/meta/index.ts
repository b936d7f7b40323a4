import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { ERROR_CODES, type ErrorCode } from "../../errors/codes";
import { notFound } from "../../errors/api-error";
import { DOCS_HTML } from "./docs-page";
import { ODBL_NOTICE } from "../../catalog/attribution";

/** Service index, docs page and the problem-type documents that `type` URIs point to. */
export const metaRoutes = new OpenAPIHono<AppEnv>()
  .get("/", (c) =>
    c.json({
      name: "Kensho",
      description: "Anime discovery API",
      docs: "/docs",
      openapi: "/openapi.json",
      health: { live: "/health/live", ready: "/health/ready" },
      endpoints: ["/v1/anime", "/v1/anime/{id}", "/v1/anime/lookup", "/v1/seasons/{year}/{season}", "/v1/genres", "/v1/studios", "/v1/random", "/v1/search", "/v1/about"],
      data: ODBL_NOTICE,
    }),
  )
  .get("/docs", (c) => c.html(DOCS_HTML))
  .get("/problems", (c) => c.json({ data: Object.entries(ERROR_CODES).map(([code, d]) => ({ code, ...d })) }))
  .get("/problems/:code", (c) => {
    const code = c.req.param("code");
    if (!Object.hasOwn(ERROR_CODES, code)) throw notFound(`No problem type ${code}.`);
    return c.json({ code, ...ERROR_CODES[code as ErrorCode] });
  });
