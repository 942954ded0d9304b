import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AmqpConnection } from './amqp-connection';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** Publishes with publisher confirms: resolves only once the broker has taken the message. */
@Injectable()
export class EventPublisher {
  constructor(
    private readonly amqp: AmqpConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Publishes a CloudEvent (or any raw body, for tests of malformed input) to airline.events. */
  async publish(routingKey: string, body: Buffer | object): Promise<void> {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    await this.amqp.publisher.publish(this.config.AMQP_EXCHANGE, routingKey, content, {
      persistent: true,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
    });
  }

  /** Sends a message to the dead-letter exchange with the reason it was parked. */
  async deadLetter(routingKey: string, body: Buffer, reasonCode: string, reason: string): Promise<void> {
    await this.amqp.publisher.publish(this.config.AMQP_DEAD_LETTER_EXCHANGE, routingKey, body, {
      persistent: true,
      headers: { 'x-park-reason-code': reasonCode, 'x-park-reason': reason.slice(0, 1000) },
    });
  }
}
