import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { UnresolvableEventError } from '../common/errors';
import { AMQP_CONFIG, AmqpConfig, INTAKE_CONFIG, IntakeConfig, InjectConfig } from '../config/config-slices';
import { AmqpConnection } from '../messaging/amqp-connection.service';
import { assertTopology } from '../messaging/amqp-topology';
import { EventPublisher } from '../messaging/event-publisher.service';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import { beginConsume, traceConsume } from '../tracing/spans';
import { EventIngestor, type IngestOutcome } from './event-ingestor.service';
import { GroupCommitBatcher } from '../common/group-commit-batcher';
import { ingestWeight } from './ingest-weight';
import { producerProperties, type EventProperties } from './event-message';
import { parkedBody } from './parked-body';

/** A message as the broker handed it over, with the channel to ack it on. */
interface Delivery {
  channel: Channel;
  msg: ConsumeMessage;
}

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
  private readonly batcher: GroupCommitBatcher<Delivery>;

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly ingestor: EventIngestor,
    private readonly publisher: EventPublisher,
    @InjectConfig(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @InjectConfig(AMQP_CONFIG) private readonly topology: AmqpConfig,
    private readonly metrics: PipelineMetrics,
  ) {
    this.batcher = new GroupCommitBatcher(config.INGEST_LANES, config.INGEST_BATCH_SIZE, (batch) => this.handleBatch(batch), ({ msg }) =>
      ingestWeight(msg.fields.routingKey, config.INGEST_BATCH_SIZE),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.CONSUMER_ENABLED) return;
    this.channel = this.amqp.createChannel('consumer', async (channel) => {
      await assertTopology(channel, this.topology);
      await channel.prefetch(this.topology.AMQP_PREFETCH);
      await channel.consume(this.topology.AMQP_QUEUE, (msg) => msg && this.batcher.add({ channel, msg }), { noAck: false });
    });
    await this.channel.waitForConnect();
  }

  /** Stops taking new messages, lets the ones in hand finish, then closes the channel. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped();
    if (!this.channel) return;
    await this.channel.cancelAll().catch(() => undefined);
    await this.batcher.idle();
    await Promise.allSettled([...this.inFlight]);
    await this.channel.close();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /**
   * A batch of one goes the single-event way. A larger one is applied in one transaction (group commit) and
   * each message acked after that commit; if the batch fails, its messages are taken one by one, so the
   * failing one is retried or parked on its own and the rest commit.
   */
  private handleBatch(batch: Delivery[]): Promise<void> {
    const work = batch.length === 1 ? this.handleOne(batch[0]) : this.applyTogether(batch);
    this.track(work);
    return work;
  }

  private async handleOne({ channel, msg }: Delivery): Promise<void> {
    this.metrics.ingestBatch(1, (await this.handle(channel, msg)) ? 'committed' : 'failed');
  }

  private async applyTogether(batch: Delivery[]): Promise<void> {
    const messages = batch.map(({ msg }) => ({
      body: msg.content,
      routingKey: msg.fields.routingKey,
      properties: producerProperties(msg.properties),
      span: beginConsume(msg, this.config.MAX_EVENT_BYTES),
    }));
    let outcomes: IngestOutcome[];
    try {
      outcomes = await this.ingestor.ingestBatch(messages);
    } catch (error) {
      for (const m of messages) m.span.fail(error);
      this.metrics.ingestBatch(batch.length, 'failed');
      this.logger.warn(`a batch of ${batch.length} events failed (${(error as Error).message}); applying them one by one`);
      // In order, so events of one booking keep theirs; a failing one's back-off does not hold up the rest.
      const retries: Promise<void>[] = [];
      for (const { channel, msg } of batch) {
        const failure = await this.attempt(channel, msg);
        if (failure) retries.push(this.retryLater(channel, msg, failure));
      }
      await Promise.all(retries);
      return;
    }
    this.metrics.ingestBatch(batch.length, 'committed');
    for (const [i, { channel, msg }] of batch.entries()) {
      const outcome = outcomes[i];
      messages[i].span.end(outcome);
      try {
        await this.settleOutcome(channel, msg, messages[i].properties, outcome);
      } catch (error) {
        await this.retryLater(channel, msg, error as Error); // committed: the retry finds it a duplicate
      }
    }
  }

  /** True when the event committed (applied, duplicate or parked) and was acked. */
  private async handle(channel: Channel, msg: ConsumeMessage): Promise<boolean> {
    const failure = await this.attempt(channel, msg);
    if (failure) await this.retryLater(channel, msg, failure);
    return failure === undefined;
  }

  /** Applies one event in its own transaction and acks it; the error if that failed (nothing acked). */
  private async attempt(channel: Channel, msg: ConsumeMessage): Promise<Error | undefined> {
    try {
      const properties = producerProperties(msg.properties);
      const outcome = await traceConsume(msg, this.config.MAX_EVENT_BYTES, () => this.ingestor.ingest(msg.content, msg.fields.routingKey, properties));
      await this.settleOutcome(channel, msg, properties, outcome);
      return undefined;
    } catch (error) {
      return error as Error;
    }
  }

  /** After the commit: count it, dead-letter a copy of what was parked, ack. */
  private async settleOutcome(channel: Channel, msg: ConsumeMessage, properties: EventProperties, outcome: IngestOutcome): Promise<void> {
    const routingKey = msg.fields.routingKey;
    this.metrics.eventConsumed(routingKey, msg.content, outcome);
    if (outcome.kind === 'parked') {
      this.logger.warn(`parked event on ${routingKey}: ${outcome.reason}`);
      await this.publisher.deadLetter(routingKey, this.deadLetterCopy(msg), outcome.reasonCode, outcome.reason, properties);
    }
    settle(() => channel.ack(msg));
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
