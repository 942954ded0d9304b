import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module';
import { NotificationStoreModule } from '../../notifications/notification-store.module';
import { OptOutModule } from '../../opt-out/opt-out.module';
import { ChannelsModule } from '../channels.module';
import { WhatsAppAccountUpdates } from './whatsapp-account-updates.service';
import { WhatsAppCloudAdapter } from './whatsapp-cloud.adapter';
import { WhatsAppTemplatePauseRepository } from './whatsapp-template-pause.repository';
import { WhatsAppTemplatePauses } from './whatsapp-template-pauses.service';
import { WhatsAppWebhookController } from './whatsapp-webhook.controller';
import { WhatsAppWebhookService } from './whatsapp-webhook.service';

/**
 * WhatsApp through Meta's Cloud API: the channel adapter (sends) and the webhook (statuses, replies,
 * opt-outs). The adapter is marked @ChannelProvider: the ChannelRegistry puts it on the whatsapp channel at init
 * when CHANNEL_WHATSAPP=whatsapp-cloud, before the dispatcher starts (onApplicationBootstrap).
 */
@Module({
  imports: [ChannelsModule, BookingsModule, NotificationStoreModule, OptOutModule],
  controllers: [WhatsAppWebhookController],
  providers: [WhatsAppTemplatePauseRepository, WhatsAppTemplatePauses, WhatsAppCloudAdapter, WhatsAppAccountUpdates, WhatsAppWebhookService],
  exports: [WhatsAppCloudAdapter],
})
export class WhatsAppModule {}
