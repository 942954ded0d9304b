import { Module } from '@nestjs/common';
import { AppleWalletModule } from './apple-wallet/apple-wallet.module';
import { BoardingPassAttachmentSource } from './boarding-pass-attachment-source.service';
import { BoardingPassesModule } from '../boarding-passes/boarding-passes.module';
import { BookingsModule } from '../bookings/bookings.module';
import { ChannelsModule } from '../channels/channels.module';
import { GoogleWalletModule } from '../channels/google-wallet/google-wallet.module';
import { NotificationStoreModule } from '../notifications/notification-store.module';
import { RenderingModule } from '../rendering/rendering.module';
import { ATTACHMENT_SOURCE } from './attachment-source';
import { ChannelPauseRepository } from './channel-pause.repository';
import { Dispatcher } from './dispatcher.service';
import { FallbackService } from './fallback.service';
import { InDoubtSettler } from './in-doubt-settler.service';
import { LocalSendFailures } from './local-send-failures.service';
import { NotificationSender } from './notification-sender.service';
import { RateLimitRepository } from './rate-limit.repository';
import { RateLimiter } from './rate-limiter.service';
import { WalletLinks } from './wallet-links.service';

@Module({
  imports: [ChannelsModule, RenderingModule, BoardingPassesModule, NotificationStoreModule, BookingsModule, GoogleWalletModule, AppleWalletModule],
  providers: [
    BoardingPassAttachmentSource,
    { provide: ATTACHMENT_SOURCE, useExisting: BoardingPassAttachmentSource },
    NotificationSender,
    Dispatcher,
    RateLimiter,
    RateLimitRepository,
    ChannelPauseRepository,
    FallbackService,
    InDoubtSettler,
    LocalSendFailures,
    WalletLinks,
  ],
  exports: [WalletLinks, ATTACHMENT_SOURCE, BoardingPassAttachmentSource, Dispatcher, FallbackService, ChannelPauseRepository, RateLimiter, LocalSendFailures],
})
export class DeliveryModule {}
