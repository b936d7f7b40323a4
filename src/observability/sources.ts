import { ApiError } from "../errors/api-error";
import { LocalWindow, LOCAL_WINDOW_CAPACITY } from "./local-window";
import { summarise } from "./summary";
import type { Traffic } from "./view";
import { AnalyticsSql } from "./analytics-sql";

/** Where the metrics view reads the data points of a window from. */
export interface MetricsSource {
  readonly name: "local-window" | "analytics-engine";
  traffic(windowMs: number, now: number): Promise<Traffic>;
}

/** The local profile: this isolate's window (src/observability/local-window.ts). */
export function localWindowSource(window: LocalWindow): MetricsSource {
  return {
    name: "local-window",
    async traffic(windowMs, now) {
      const traffic = summarise(window.since(now - windowMs));
      const oldest = window.oldest();
      const bounds = `This isolate's in-process window (at most ${LOCAL_WINDOW_CAPACITY.toLocaleString("en")} points, 24 h): what this isolate served since it started, not other isolates.`;
      const lost = window.dropped > 0 && oldest !== null && oldest > now - windowMs ? ` ${window.dropped} older points were dropped: the window starts at ${new Date(oldest).toISOString()}.` : "";
      return { ...traffic, note: bounds + lost };
    },
  };
}

export interface AnalyticsSettings {
  accountId?: string;
  apiToken?: string;
  dataset: string;
  fetch: typeof fetch;
}

/** Production: the Analytics Engine SQL API; a 503 naming the missing secrets when they are not set. */
export function analyticsEngineSource(s: AnalyticsSettings): MetricsSource {
  if (!s.accountId || !s.apiToken) {
    throw new ApiError(
      "service_unavailable",
      "The metrics view reads Analytics Engine through its SQL API, which needs the secrets ANALYTICS_ACCOUNT_ID and ANALYTICS_API_TOKEN (an API token with Account Analytics: Read): set them with `wrangler secret put … --env production`. Data points are written regardless.",
    );
  }
  const sql = new AnalyticsSql(s.accountId, s.apiToken, s.dataset, s.fetch);
  return { name: "analytics-engine", traffic: (windowMs) => sql.traffic(windowMs) };
}
