import { Module } from '@nestjs/common';
import { DeliveryModule } from '../../delivery/delivery.module';
import { NotificationsModule } from '../../notifications/notifications.module';
import { NotificationsController } from './notifications.controller';

/** The read API of notifications (list, detail, attachments): HTTP on top of the core store and delivery's attachments. */
@Module({
  imports: [NotificationsModule, DeliveryModule],
  controllers: [NotificationsController],
})
export class NotificationsApiModule {}
