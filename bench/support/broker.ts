import amqplib, { ChannelModel, ConfirmChannel } from 'amqplib';
import type { BenchSettings } from './settings';

export async function rabbitmqVersion(settings: BenchSettings): Promise<string> {
  const connection = await amqplib.connect(settings.amqpUrl);
  try {
    return String(connection.connection.serverProperties.version ?? 'unknown');
  } finally {
    await connection.close();
  }
}

/**
 * Publishes events the way a producer system would: persistent, with publisher confirms. Used by the
 * scenarios to feed the service (whose consumer declared the topology before it reported ready).
 */
export class EventFeed {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    private readonly exchange: string,
  ) {}

  static async open(settings: BenchSettings, exchange: string): Promise<EventFeed> {
    const connection = await amqplib.connect(settings.amqpUrl);
    // A broker restart mid-run fails the pending publishes (and so the scenario), not the whole bench.
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    await channel.checkExchange(exchange);
    return new EventFeed(connection, channel, exchange);
  }

  /** Resolves when the broker confirmed the message. */
  publish(event: { type: string }, routingKey = event.type): Promise<void> {
    const body = Buffer.from(JSON.stringify(event));
    return new Promise((resolve, reject) => {
      this.channel.publish(
        this.exchange,
        routingKey,
        body,
        { persistent: true, contentType: 'application/cloudevents+json' },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  /** Publishes all, at most `window` unconfirmed at a time; returns when every one is confirmed. */
  async publishAll(events: { type: string }[], window = 500): Promise<void> {
    for (let i = 0; i < events.length; i += window) {
      await Promise.all(events.slice(i, i + window).map((e) => this.publish(e)));
    }
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}
