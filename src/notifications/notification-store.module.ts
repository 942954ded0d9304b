import { Module } from '@nestjs/common';
import { NotificationFallbackRepository } from './notification-fallback.repository';
import { NotificationProviderStatusRepository } from './notification-provider-status.repository';
import { NotificationRepository } from './notification.repository';

/**
 * The owner of the notifications and notification_events tables: every write to them goes through these
 * repositories. A module of its own with no imports, so delivery and channels (which NotificationsModule
 * itself imports) can use it without a cycle.
 */
@Module({
  providers: [NotificationRepository, NotificationFallbackRepository, NotificationProviderStatusRepository],
  exports: [NotificationRepository, NotificationFallbackRepository, NotificationProviderStatusRepository],
})
export class NotificationStoreModule {}
