import { Module } from '@nestjs/common';
import { AmqpConnection } from './amqp-connection.service';
import { EventPublisher } from './event-publisher.service';

@Module({
  providers: [AmqpConnection, EventPublisher],
  exports: [AmqpConnection, EventPublisher],
})
export class MessagingModule {}
