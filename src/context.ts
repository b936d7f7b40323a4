import type { RequestIdVariables } from "hono/request-id";
import type { Services } from "./services";
import type { KeyState } from "./access/quota-object";

/** Hono environment of the app: typed bindings plus what the init middleware provides. */
export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & {
    /** Everything a handler uses, built from the bindings by the composition root (src/services.ts). */
    services: Services;
    /** Who is calling: their key (null: anonymous) and the name of their quota object. */
    caller: { key: KeyState | null; quota: string };
    /** Fields a handler adds to the request's log line (src/middleware/request-log.ts): /mcp names the JSON-RPC method, the tool and the routes it called. */
    logFields?: Record<string, unknown>;
    /** The legs a search answer was served without (`vector`, `image`): its data point's `degraded` (src/observability/request-metrics.ts). */
    degraded?: readonly string[];
  };
}
