import amqplib from 'amqplib';

export type AmqpNames = Record<'AMQP_EXCHANGE' | 'AMQP_QUEUE' | 'AMQP_DEAD_LETTER_EXCHANGE' | 'AMQP_DEAD_LETTER_QUEUE', string>;

/**
 * The service's exchange and queue names (its AMQP_* variables) under one prefix: a test file or a bench
 * scenario with a prefix of its own never sees another's events.
 */
export function amqpNames(prefix: string): AmqpNames {
  return {
    AMQP_EXCHANGE: `${prefix}.airline.events`,
    AMQP_QUEUE: `${prefix}.notifier.events`,
    AMQP_DEAD_LETTER_EXCHANGE: `${prefix}.dead-letter`,
    AMQP_DEAD_LETTER_QUEUE: `${prefix}.notifier.events.dead-letter`,
  };
}

/** Removes what the service declared under those names. */
export async function deleteAmqpNames(names: AmqpNames, url: string): Promise<void> {
  const connection = await amqplib.connect(url);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.deleteQueue(names.AMQP_QUEUE);
    await channel.deleteQueue(names.AMQP_DEAD_LETTER_QUEUE);
    await channel.deleteExchange(names.AMQP_EXCHANGE);
    await channel.deleteExchange(names.AMQP_DEAD_LETTER_EXCHANGE);
    await channel.close();
  } finally {
    await connection.close();
  }
}
