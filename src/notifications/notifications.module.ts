import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { NotificationPlanner } from './notification-planner';
import { NotificationQueryRepository } from './notification-query.repository';
import { NotificationStoreModule } from './notification-store.module';
import { NotificationsController } from './notifications.controller';

@Module({
  imports: [DeliveryModule, NotificationStoreModule],
  controllers: [NotificationsController],
  providers: [NotificationPlanner, NotificationQueryRepository],
  exports: [NotificationPlanner, NotificationStoreModule, NotificationQueryRepository],
})
export class NotificationsModule {}
