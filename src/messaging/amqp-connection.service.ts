import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { AMQP_CONFIG, AmqpConfig, InjectConfig } from '../config/config-slices';
import { assertTopology } from './amqp-topology';

/**
 * The one broker connection of a process. amqp-connection-manager reconnects by itself after a broker
 * restart and replays every channel's setup (topology, consumers), so callers never hold a dead channel.
 */
@Injectable()
export class AmqpConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(AmqpConnection.name);
  private readonly manager: AmqpConnectionManager;
  /** Confirm channel for publishing; publishes wait for the broker's confirm. */
  readonly publisher: ChannelWrapper;

  constructor(@InjectConfig(AMQP_CONFIG) private readonly config: AmqpConfig) {
    this.manager = amqp.connect([config.AMQP_URL], {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
      // Named so operators (and the reconnection test) can tell our connections apart in the broker.
      connectionOptions: { clientProperties: { connection_name: config.AMQP_CONNECTION_NAME } },
    });
    this.manager.on('connect', () => this.logger.log('connected to RabbitMQ'));
    this.manager.on('disconnect', ({ err }) => this.logger.warn(`RabbitMQ connection lost: ${err?.message ?? 'closed'}`));
    this.publisher = this.createChannel('publisher', (channel) => assertTopology(channel, config));
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  createChannel(name: string, setup: (channel: ConfirmChannel) => Promise<void>): ChannelWrapper {
    const channel = this.manager.createChannel({ name, confirm: true, setup, publishTimeout: 30_000 });
    // A setup that fails because the connection dropped mid-way is emitted as 'error'; unheard, that event
    // would crash the process. The manager reconnects and runs the setup again, so a warning is enough.
    channel.on('error', (error: Error) => this.logger.warn(`RabbitMQ channel ${name}: setup failed (${error.message}); retried on reconnect`));
    return channel;
  }

  /** Waits until topology is declared, so a publish right after start cannot go to a missing exchange. */
  async ready(): Promise<void> {
    await this.publisher.waitForConnect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.manager.close();
  }
}
