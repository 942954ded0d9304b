import { Injectable } from '@nestjs/common';
import { AMQP_CONFIG, AmqpConfig, InjectConfig } from '../config/config-slices';
import type { EventProperties, ParkedBody } from '../vocabulary/parked-event';
import { AmqpConnection } from './amqp-connection.service';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** Publishes with publisher confirms: resolves only once the broker has taken the message. */
@Injectable()
export class EventPublisher {
  constructor(
    private readonly amqp: AmqpConnection,
    @InjectConfig(AMQP_CONFIG) private readonly config: AmqpConfig,
  ) {}

  /** Publishes a CloudEvent (or any raw body, for tests of malformed input) to airline.events. */
  async publish(routingKey: string, body: Buffer | object): Promise<void> {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    await this.amqp.publisher.publish(this.config.AMQP_EXCHANGE, routingKey, content, {
      persistent: true,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
    });
  }

  /**
   * Sends a parked event to the dead-letter exchange with the reason it was parked: what the parked row
   * stores (an oversize body only as its prefix), with the size and SHA-256 of the whole body.
   */
  async deadLetter(routingKey: string, body: ParkedBody, reasonCode: string, reason: string, original: EventProperties = {}): Promise<void> {
    // The producer's properties and headers as they came (a binary-mode event's attributes live there),
    // less what would change the copy's fate: RabbitMQ refuses a user-id not matching our login, and an
    // expiration would drop the copy from the dead-letter queue.
    const { userId: _userId, expiration: _expiration, headers, ...properties } = original;
    await this.amqp.publisher.publish(this.config.AMQP_DEAD_LETTER_EXCHANGE, routingKey, body.stored, {
      ...properties,
      persistent: true,
      headers: {
        ...headers,
        'x-park-reason-code': reasonCode,
        'x-park-reason': reason.slice(0, 1000),
        'x-original-size': body.size,
        'x-original-sha256': body.sha256,
        'x-body-truncated': body.truncated,
      },
    });
  }
}
