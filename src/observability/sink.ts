import { toDataPoint, type MetricPoint } from "./data-points";
import type { LocalWindow } from "./local-window";

/**
 * Where data points go. Built by the composition root (src/services.ts) from the bindings:
 * Analytics Engine when METRICS is bound, plus the local window outside production. A write
 * never blocks and never throws into the request or job it describes: `writeDataPoint` only
 * queues the point (the runtime sends it after the response), and a failing sink is ignored.
 */
export interface MetricsSink {
  write(point: MetricPoint): void;
}

/** Analytics Engine: one `writeDataPoint` per point (synchronous, non-blocking). */
export const analyticsEngineSink = (dataset: AnalyticsEngineDataset): MetricsSink => ({
  write: (point) => dataset.writeDataPoint(toDataPoint(point)),
});

/** The in-process window of this isolate (local profile: the metrics view's source). */
export const windowSink = (window: LocalWindow): MetricsSink => ({ write: (point) => window.add(point) });

/** Writes to every sink; one failing (a binding refusing a point) neither stops the others nor the caller. */
export function fanOut(sinks: MetricsSink[], onError: (err: unknown) => void = () => {}): MetricsSink {
  return {
    write(point) {
      for (const sink of sinks) {
        try {
          sink.write(point);
        } catch (err) {
          onError(err);
        }
      }
    },
  };
}
