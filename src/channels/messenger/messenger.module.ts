import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module';
import { NotificationStoreModule } from '../../notifications/notification-store.module';
import { OptOutModule } from '../../opt-out/opt-out.module';
import { ChannelsModule } from '../channels.module';
import { MessengerPlatformAdapter } from './messenger-platform.adapter';
import { MessengerSentMessagesRepository } from './messenger-sent-messages.repository';
import { MessengerTemplatePauseRepository } from './messenger-template-pause.repository';
import { MessengerTemplatePauses } from './messenger-template-pauses.service';
import { MessengerWebhookController } from './messenger-webhook.controller';
import { MessengerWebhookService } from './messenger-webhook.service';

/**
 * Messenger through Meta's Messenger Platform: the channel adapter (sends from the Page) and the webhook
 * (deliveries, reads, replies, postbacks, opt-outs, template status). The adapter is marked @ChannelProvider: the
 * ChannelRegistry puts it on the messenger channel at init when CHANNEL_MESSENGER=messenger-platform.
 */
@Module({
  imports: [ChannelsModule, BookingsModule, NotificationStoreModule, OptOutModule],
  controllers: [MessengerWebhookController],
  providers: [MessengerSentMessagesRepository, MessengerTemplatePauseRepository, MessengerTemplatePauses, MessengerPlatformAdapter, MessengerWebhookService],
  exports: [MessengerPlatformAdapter],
})
export class MessengerModule {}
