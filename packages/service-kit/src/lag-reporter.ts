import type { StageMetrics } from './metrics.js';

/** Sets `padan_consumer_lag{topic}` from the group's lag every `everyMs`; returns a stop function. */
export function startLagReporter(
  lag: (group: string) => Promise<Record<string, number>>,
  group: string,
  metrics: StageMetrics,
  everyMs = 5000,
): () => void {
  const timer = setInterval(() => {
    lag(group)
      .then((byTopic) => {
        for (const [topic, n] of Object.entries(byTopic)) metrics.lag.labels(topic).set(n);
      })
      // A failed lag query only leaves the gauge at its last value; the next tick retries.
      .catch(() => {});
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
