import { Module } from '@nestjs/common';
import { NotificationPlanner } from './notification-planner';
import { NotificationQueryRepository } from './notification-query.repository';
import { NotificationRepository } from './notification.repository';

@Module({
  providers: [NotificationPlanner, NotificationRepository, NotificationQueryRepository],
  exports: [NotificationPlanner, NotificationRepository, NotificationQueryRepository],
})
export class NotificationsModule {}
