import { Module } from '@nestjs/common';
import { DispatchHandoff } from './dispatch-handoff';
import { DispatchRepository } from './notification-dispatch.repository';
import { NotificationFallbackRepository } from './notification-fallback.repository';
import { NotificationProviderStatusRepository } from './notification-provider-status.repository';
import { NotificationRepository } from './notification.repository';

/**
 * The owner of the notifications and notification_events tables: every write to them goes through these
 * repositories, the dispatcher's claim and write-back (with its own connection pool, decision 0003) included. A module of its own with no imports, so delivery and channels (which NotificationsModule
 * itself imports) can use it without a cycle.
 */
@Module({
  providers: [DispatchHandoff, DispatchRepository, NotificationRepository, NotificationFallbackRepository, NotificationProviderStatusRepository],
  exports: [DispatchHandoff, DispatchRepository, NotificationRepository, NotificationFallbackRepository, NotificationProviderStatusRepository],
})
export class NotificationStoreModule {}
