import type { ConfirmChannel } from 'amqplib';
import type { AmqpConfig } from '../config/config-slices';

export const EVENT_BINDINGS = ['booking.#', 'checkin.#', 'flight.#'];

/**
 * Declares everything the service relies on. Idempotent: it runs on every (re)connect.
 * The quorum queue dead-letters to our DLX when a message exceeds the delivery limit, so a poison
 * message cannot be redelivered forever even if the service never gets to park it itself.
 */
export async function assertTopology(channel: ConfirmChannel, config: AmqpConfig): Promise<void> {
  await channel.assertExchange(config.AMQP_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(config.AMQP_DEAD_LETTER_EXCHANGE, 'topic', { durable: true });
  await channel.assertQueue(config.AMQP_DEAD_LETTER_QUEUE, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(config.AMQP_DEAD_LETTER_QUEUE, config.AMQP_DEAD_LETTER_EXCHANGE, '#');
  await channel.assertQueue(config.AMQP_QUEUE, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-dead-letter-exchange': config.AMQP_DEAD_LETTER_EXCHANGE,
      'x-delivery-limit': config.AMQP_DELIVERY_LIMIT,
    },
  });
  for (const pattern of EVENT_BINDINGS) {
    await channel.bindQueue(config.AMQP_QUEUE, config.AMQP_EXCHANGE, pattern);
  }
}
