import { Module } from '@nestjs/common';
import { BoardingPassAttachmentSource } from './boarding-pass-attachments';
import { BoardingPassesModule } from '../boarding-passes/boarding-passes.module';
import { BookingRepository } from '../bookings/booking.repository';
import { ChannelsModule } from '../channels/channels.module';
import { NotificationStoreModule } from '../notifications/notification-store.module';
import { RenderingModule } from '../rendering/rendering.module';
import { ATTACHMENT_SOURCE } from './attachment-source';
import { ChannelPauseRepository } from './channel-pause.repository';
import { Dispatcher } from './dispatcher.service';
import { FallbackService } from './fallback.service';
import { InDoubtSettler } from './in-doubt-settler';
import { LocalSendFailures } from './local-send-failures';
import { NotificationSender } from './notification-sender';
import { ProviderStatusService } from './provider-status.service';
import { RateLimitRepository } from './rate-limit.repository';
import { RateLimiter } from './rate-limiter';

@Module({
  imports: [ChannelsModule, RenderingModule, BoardingPassesModule, NotificationStoreModule],
  providers: [
    BoardingPassAttachmentSource,
    { provide: ATTACHMENT_SOURCE, useExisting: BoardingPassAttachmentSource },
    NotificationSender,
    Dispatcher,
    RateLimiter,
    RateLimitRepository,
    ChannelPauseRepository,
    FallbackService,
    // The fallback reads a passenger's contacts and consents. Stateless, so provided here: importing BookingsModule
    // would be a cycle (it imports NotificationsModule, which imports this module).
    BookingRepository,
    InDoubtSettler,
    ProviderStatusService,
    LocalSendFailures,
  ],
  exports: [ATTACHMENT_SOURCE, BoardingPassAttachmentSource, Dispatcher, ProviderStatusService, ChannelPauseRepository, RateLimiter, LocalSendFailures],
})
export class DeliveryModule {}
