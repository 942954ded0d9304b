import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { MessagingModule } from '../messaging/messaging.module';
import { HealthController } from './health.controller';

@Module({ imports: [MessagingModule, DeliveryModule], controllers: [HealthController] })
export class HealthModule {}
