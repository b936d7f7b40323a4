import type { MetricsView } from "./view";

/** Prometheus text exposition 0.0.4: the media type a scraper's `Accept` names. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`).join(",")}}`;

/**
 * The metrics view as Prometheus text: gauges over the view's window (the figures are the
 * window's, computed from every isolate's data points in production, so a scrape does not sum
 * per-isolate counters). Durations in ms, times in Unix seconds.
 */
export function toPrometheus(view: MetricsView): string {
  const families = new Map<string, { help: string; samples: string[] }>();
  const add = (name: string, help: string, l: Record<string, string>, value: number | null) => {
    if (value === null) return;
    let f = families.get(name);
    if (!f) families.set(name, (f = { help, samples: [] }));
    f.samples.push(`${name}${labels(l)} ${value}`);
  };
  const w = { window: view.window };
  for (const r of view.routes) {
    const l = { ...w, route: r.route, method: r.method, status_class: r.status_class };
    add("kensho_requests", "Requests in the window, per route template, method and status class.", l, r.requests);
    add("kensho_request_duration_ms", "Request duration quantiles in the window, ms.", { ...l, quantile: "0.5" }, r.p50_ms);
    add("kensho_request_duration_ms", "Request duration quantiles in the window, ms.", { ...l, quantile: "0.95" }, r.p95_ms);
    add("kensho_degraded_requests", "Answers served with a degraded leg (vector or image search).", l, r.degraded);
    add("kensho_rate_limited_requests", "429 answers.", l, r.rate_limited);
    if (r.cache_hit_ratio) {
      add("kensho_cache_hit_ratio", "Share of cache-served answers a tier hit (tier=any: all tiers).", { ...l, tier: "any" }, r.cache_hit_ratio.any);
      for (const [tier, v] of Object.entries(r.cache_hit_ratio.by_tier)) add("kensho_cache_hit_ratio", "", { ...l, tier }, v);
    }
  }
  for (const c of view.callers) {
    add("kensho_caller_requests", "Requests in the window per caller tier.", { ...w, tier: c.tier }, c.requests);
    add("kensho_caller_rate_limited", "429 answers per caller tier.", { ...w, tier: c.tier }, c.rate_limited);
  }
  for (const j of view.jobs) {
    const l = { job: j.job };
    add("kensho_job_overdue", "1 when the job's last success is older than 1.5 periods (+5 min).", l, j.overdue ? 1 : 0);
    add("kensho_job_last_success_timestamp_seconds", "When the job last succeeded.", l, j.last_success_at ? Date.parse(j.last_success_at) / 1000 : null);
    add("kensho_job_last_duration_ms", "Duration of the job's last run, ms.", l, j.last_run?.duration_ms ?? null);
    add("kensho_job_last_items", "Items the job's last run handled.", l, j.last_run?.items ?? null);
    add("kensho_job_runs", "Runs in the window.", { ...w, ...l }, j.runs_in_window);
    add("kensho_job_failed_runs", "Failed runs in the window.", { ...w, ...l }, j.failed_in_window);
  }
  const out: string[] = [];
  for (const [name, f] of families) out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} gauge`, ...f.samples);
  return out.join("\n") + "\n";
}

/** Whether the caller asked for the text exposition (`Accept: text/plain; version=0.0.4`, or `application/openmetrics-text` scrapers that also take it). */
export const wantsPrometheus = (accept: string | undefined): boolean => !!accept && /text\/plain/i.test(accept) && !/application\/json/i.test(accept.split(",")[0] ?? "");
