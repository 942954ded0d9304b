import { Module } from '@nestjs/common';
import { NotificationPlanner } from './notification-planner.service';
import { NotificationQueryRepository } from './notification-query.repository';
import { NotificationStoreModule } from './notification-store.module';

@Module({
  imports: [NotificationStoreModule],
  providers: [NotificationPlanner, NotificationQueryRepository],
  exports: [NotificationPlanner, NotificationStoreModule, NotificationQueryRepository],
})
export class NotificationsModule {}
