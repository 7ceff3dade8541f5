import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics every stage exports; names carry the `padan_` prefix and a `service` label. */
export class StageMetrics {
  readonly registry = new Registry();
  readonly recordsIn: Counter<'topic'>;
  readonly recordsOut: Counter<'topic'>;
  readonly rejects: Counter<'reason'>;
  readonly batchSeconds: Histogram<'topic'>;
  readonly lag: Gauge<'topic'>;
  readonly invalidMessages: Counter<'topic'>;
  readonly stalled: Gauge<'period'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.recordsIn = new Counter({ name: 'padan_records_in_total', help: 'Records consumed', labelNames: ['topic'], registers: [this.registry] });
    this.recordsOut = new Counter({ name: 'padan_records_out_total', help: 'Records produced', labelNames: ['topic'], registers: [this.registry] });
    this.rejects = new Counter({ name: 'padan_rejects_total', help: 'Dead-lettered rows by reason', labelNames: ['reason'], registers: [this.registry] });
    this.batchSeconds = new Histogram({
      name: 'padan_batch_seconds',
      help: 'Time to handle one consumed batch, outputs acknowledged',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.lag = new Gauge({ name: 'padan_consumer_lag', help: 'Messages not yet consumed, per topic', labelNames: ['topic'], registers: [this.registry] });
    this.invalidMessages = new Counter({
      name: 'padan_invalid_messages_total',
      help: 'Messages that failed their contract and were skipped',
      labelNames: ['topic'],
      registers: [this.registry],
    });
    this.stalled = new Gauge({
      name: 'padan_stalled_seconds',
      help: 'Per stalled period, seconds since its rows were first held (match) or unaccounted for (report); absent when not stalled',
      labelNames: ['period'],
      registers: [this.registry],
    });
  }

  /** A service's own counter without labels, on this registry (services need no prom-client of their own). */
  counter(name: string, help: string): Counter {
    return new Counter({ name, help, registers: [this.registry] });
  }

  /** A service's own gauge without labels, on this registry. */
  gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }
}
