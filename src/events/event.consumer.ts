import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { UnresolvableEventError } from '../common/errors';
import { AMQP_CONFIG, AmqpConfig, INTAKE_CONFIG, IntakeConfig, InjectConfig } from '../config/config-slices';
import { AmqpConnection } from '../messaging/amqp-connection.service';
import { assertTopology } from '../messaging/amqp-topology';
import { EventPublisher } from '../messaging/event-publisher.service';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import { traceConsume } from '../tracing/spans';
import { EventIngestor } from './event-ingestor.service';
import { producerProperties } from './event-message';
import { parkedBody } from './parked-body';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Consumes notifier.events with explicit acks. A message is acked only after its transaction commits
 * (or after it is parked), so a crash at any point leads to redelivery, and the inbox makes that harmless.
 * Prefetch bounds how much is in flight: when PostgreSQL is slow, the consumer simply stops pulling.
 */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventConsumer.name);
  private channel?: ChannelWrapper;
  private readonly inFlight = new Set<Promise<void>>();
  /** Resolves when shutdown begins, cutting short any retry back-off so the message is returned at once. */
  private stopped!: () => void;
  private readonly stopSignal = new Promise<void>((resolve) => (this.stopped = resolve));

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly ingestor: EventIngestor,
    private readonly publisher: EventPublisher,
    @InjectConfig(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @InjectConfig(AMQP_CONFIG) private readonly topology: AmqpConfig,
    private readonly metrics: PipelineMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.CONSUMER_ENABLED) return;
    this.channel = this.amqp.createChannel('consumer', async (channel) => {
      await assertTopology(channel, this.topology);
      await channel.prefetch(this.topology.AMQP_PREFETCH);
      await channel.consume(this.topology.AMQP_QUEUE, (msg) => msg && this.track(this.handle(channel, msg)), { noAck: false });
    });
    await this.channel.waitForConnect();
  }

  /** Stops taking new messages, lets the ones in hand finish, then closes the channel. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped();
    if (!this.channel) return;
    await this.channel.cancelAll().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await this.channel.close();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(channel: Channel, msg: ConsumeMessage): Promise<void> {
    const routingKey = msg.fields.routingKey;
    try {
      const properties = producerProperties(msg.properties);
      const outcome = await traceConsume(msg, this.config.MAX_EVENT_BYTES, () => this.ingestor.ingest(msg.content, routingKey, properties));
      this.metrics.eventConsumed(routingKey, msg.content, outcome);
      if (outcome.kind === 'parked') {
        this.logger.warn(`parked event on ${routingKey}: ${outcome.reason}`);
        await this.publisher.deadLetter(routingKey, this.deadLetterCopy(msg), outcome.reasonCode, outcome.reason, properties);
      }
      settle(() => channel.ack(msg));
    } catch (error) {
      await this.retryLater(channel, msg, error as Error);
    }
  }

  /** The dead-letter copy holds what the parked row holds: an oversize body only as its prefix. */
  private deadLetterCopy(msg: ConsumeMessage) {
    return parkedBody(msg.content, this.config.MAX_EVENT_BYTES);
  }

  /**
   * A failure that may pass (database down, deadlock, a booking not seen yet): hold the message a moment
   * so the prefetch window throttles intake, then requeue it. At the delivery limit it is parked instead,
   * so nothing is retried forever.
   */
  private async retryLater(channel: Channel, msg: ConsumeMessage, error: Error): Promise<void> {
    const deliveries = Number(msg.properties.headers?.['x-delivery-count'] ?? 0) + 1;
    const routingKey = msg.fields.routingKey;
    if (!(error instanceof UnresolvableEventError)) {
      this.logger.error(`event on ${routingKey} failed (delivery ${deliveries}): ${error.message}`);
    }
    if (deliveries >= this.topology.AMQP_DELIVERY_LIMIT) {
      try {
        const properties = producerProperties(msg.properties);
        const outcome = await this.ingestor.parkAfterRetries(msg.content, routingKey, error, deliveries, properties);
        this.metrics.eventConsumed(routingKey, msg.content, outcome);
        if (outcome.kind === 'parked') {
          await this.publisher.deadLetter(routingKey, this.deadLetterCopy(msg), outcome.reasonCode, outcome.reason, properties);
        }
        settle(() => channel.ack(msg));
        return;
      } catch {
        // The database is still away; the broker's own delivery limit dead-letters it if this goes on.
      }
    }
    await Promise.race([sleep(Math.min(30_000, 250 * 2 ** Math.min(deliveries, 7))), this.stopSignal]);
    // reject, not nack: from RabbitMQ 4.3 only basic.reject counts as a failed delivery (x-delivery-count, and
    // the queue's x-delivery-limit); a nack-requeue would loop forever uncounted (docs/decisions/0010).
    settle(() => channel.reject(msg, true));
  }
}

/** Acking on a channel that closed meanwhile throws; the broker redelivers such a message, which is safe. */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    /* channel closed: the message will be redelivered */
  }
}
