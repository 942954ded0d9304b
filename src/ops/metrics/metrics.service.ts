import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import { Registry } from 'prom-client';
import { AMQP_CONFIG, AmqpConfig, METRICS_CONFIG, MetricsConfig, InjectConfig } from '../../config/config-slices';
import { AmqpConnection } from '../../messaging/amqp-connection.service';
import { BackgroundRefresh } from './background-refresh';
import { backgroundGauges, type BackgroundGauges } from './background-gauges';
import { MetricsRepository } from './metrics.repository';

const BROKER_TIMEOUT_MS = 2_000;

/**
 * Renders the registry for a scrape. What only PostgreSQL and RabbitMQ know (notifications by type ×
 * channel × status, the age of the oldest due notification, open dead letters, the depth of the events
 * queue) is read in the background at most every METRICS_REFRESH_SECONDS, one reading at a time however
 * many scrapes arrive, and served from the last reading: scrapes cannot pile aggregations onto the
 * database or take the pool from the pipeline. A source that does not answer is counted in
 * notifier_metrics_scrape_errors_total and its gauges keep their last value, so a scrape never fails
 * because the database is away.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  private readonly logger = new Logger(MetricsService.name);
  private readonly readings: BackgroundRefresh;
  private readonly gauges: BackgroundGauges;
  private channel?: ChannelWrapper;

  constructor(
    private readonly database: MetricsRepository,
    private readonly amqp: AmqpConnection,
    @InjectConfig(METRICS_CONFIG) config: MetricsConfig,
    @InjectConfig(AMQP_CONFIG) private readonly queues: Pick<AmqpConfig, 'AMQP_QUEUE' | 'AMQP_DEAD_LETTER_QUEUE'>,
    private readonly registry: Registry,
  ) {
    this.gauges = backgroundGauges(registry);
    this.readings = new BackgroundRefresh(() => this.read(), config.METRICS_REFRESH_SECONDS * 1000);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The first scrape waits for the first reading; later ones are answered from the last one at once. */
  async scrape(): Promise<string> {
    await this.readings.current();
    return this.registry.metrics();
  }

  /** Reads the sources now and waits for it (tests that need gauges as of this moment). */
  refresh(): Promise<void> {
    return this.readings.refreshNow();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readings.settled();
    await this.channel?.close().catch(() => undefined);
  }

  /** One source after the other: a reading holds at most one pooled database connection. */
  private async read(): Promise<void> {
    await this.readDatabase();
    await this.readBroker();
  }

  private async readDatabase(): Promise<void> {
    try {
      const states = await this.database.notificationsByState();
      const lag = await this.database.oldestDueAgeSeconds();
      const parked = await this.database.openDeadLetters();
      this.gauges.notificationsByState.reset();
      for (const r of states) this.gauges.notificationsByState.set({ type: r.type, channel: r.channel, status: r.status }, r.n);
      this.gauges.consumerLag.set(Math.max(0, lag));
      this.gauges.openDeadLetters.set(parked);
    } catch (error) {
      this.gauges.scrapeErrors.inc({ source: 'database' });
      this.logger.warn(`metrics: database reading failed: ${(error as Error).message}`);
    }
  }

  private async readBroker(): Promise<void> {
    const queues = [this.queues.AMQP_QUEUE, this.queues.AMQP_DEAD_LETTER_QUEUE];
    try {
      if (!this.amqp.isConnected()) throw new Error('not connected to RabbitMQ');
      // A channel of its own: checkQueue on a missing queue closes the channel it runs on.
      this.channel ??= this.amqp.createChannel('metrics', async () => undefined);
      const channel = this.channel;
      await withTimeout(channel.waitForConnect(), BROKER_TIMEOUT_MS);
      for (const queue of queues) {
        const q = await withTimeout(channel.checkQueue(queue), BROKER_TIMEOUT_MS);
        this.gauges.queueDepth.set({ queue }, q.messageCount);
        this.gauges.queueConsumers.set({ queue }, q.consumerCount);
      }
    } catch (error) {
      this.gauges.scrapeErrors.inc({ source: 'broker' });
      this.logger.warn(`metrics: broker reading failed: ${(error as Error).message}`);
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
