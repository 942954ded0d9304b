import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { RenderingModule } from '../rendering/rendering.module';
import { ATTACHMENT_SOURCE, NO_ATTACHMENTS } from './attachment-source';
import { ChannelPauseRepository } from './channel-pause.repository';
import { DispatchRepository } from './dispatch.repository';
import { Dispatcher } from './dispatcher.service';
import { FallbackService } from './fallback.service';
import { NotificationSender } from './notification-sender';
import { ProviderStatusService } from './provider-status.service';
import { RateLimiter } from './rate-limiter';

@Module({
  imports: [ChannelsModule, RenderingModule],
  providers: [
    { provide: ATTACHMENT_SOURCE, useValue: NO_ATTACHMENTS },
    DispatchRepository,
    NotificationSender,
    Dispatcher,
    RateLimiter,
    ChannelPauseRepository,
    FallbackService,
    ProviderStatusService,
  ],
  exports: [ATTACHMENT_SOURCE, Dispatcher, ProviderStatusService, ChannelPauseRepository, RateLimiter],
})
export class DeliveryModule {}
