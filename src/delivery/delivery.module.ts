import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { RenderingModule } from '../rendering/rendering.module';
import { ATTACHMENT_SOURCE, NO_ATTACHMENTS } from './attachment-source';
import { DispatchRepository } from './dispatch.repository';
import { Dispatcher } from './dispatcher.service';
import { NotificationSender } from './notification-sender';

@Module({
  imports: [ChannelsModule, RenderingModule],
  providers: [
    { provide: ATTACHMENT_SOURCE, useValue: NO_ATTACHMENTS },
    DispatchRepository,
    NotificationSender,
    Dispatcher,
  ],
  exports: [ATTACHMENT_SOURCE, Dispatcher],
})
export class DeliveryModule {}
