import { Module } from '@nestjs/common';
import { AmqpConnection } from './amqp-connection';
import { EventPublisher } from './event-publisher';

@Module({
  providers: [AmqpConnection, EventPublisher],
  exports: [AmqpConnection, EventPublisher],
})
export class MessagingModule {}
