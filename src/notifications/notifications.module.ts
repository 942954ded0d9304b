import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { NotificationPlanner } from './notification-planner';
import { NotificationQueryRepository } from './notification-query.repository';
import { NotificationRepository } from './notification.repository';
import { NotificationsController } from './notifications.controller';

@Module({
  imports: [DeliveryModule],
  controllers: [NotificationsController],
  providers: [NotificationPlanner, NotificationRepository, NotificationQueryRepository],
  exports: [NotificationPlanner, NotificationRepository, NotificationQueryRepository],
})
export class NotificationsModule {}
