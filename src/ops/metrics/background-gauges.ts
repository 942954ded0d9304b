import { Counter, Gauge, type Registry } from 'prom-client';

/** What MetricsService's background reading fills (at most every METRICS_REFRESH_SECONDS), on the app's registry. */
export function backgroundGauges(registry: Registry) {
  return {
    notificationsByState: new Gauge({
      name: 'notifier_notifications',
      help: 'Notifications in the database, by type, channel and status.',
      labelNames: ['type', 'channel', 'status'] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'notifier_queue_messages',
      help: 'Messages ready in a RabbitMQ queue (the events queue and its dead-letter queue).',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    queueConsumers: new Gauge({
      name: 'notifier_queue_consumers',
      help: 'Consumers attached to a RabbitMQ queue.',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'notifier_dispatch_lag_seconds',
      help: 'Age of the oldest pending notification that is due (0 when nothing waits): how far sending is behind.',
      registers: [registry],
    }),
    openDeadLetters: new Gauge({
      name: 'notifier_dead_letters_open',
      help: 'Parked events not re-driven yet.',
      registers: [registry],
    }),
    scrapeErrors: new Counter({
      name: 'notifier_metrics_scrape_errors_total',
      help: 'Scrape-time readings that failed (database or broker unreachable), by source.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
  };
}

export type BackgroundGauges = ReturnType<typeof backgroundGauges>;
