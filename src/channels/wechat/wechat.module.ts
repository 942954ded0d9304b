import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module';
import { NotificationStoreModule } from '../../notifications/notification-store.module';
import { OptOutModule } from '../../opt-out/opt-out.module';
import { ChannelsModule } from '../channels.module';
import { WeChatAccessTokens } from './wechat-access-token.service';
import { WeChatTemplateAdapter } from './wechat-template.adapter';
import { WeChatTokenRepository } from './wechat-token.repository';
import { WeChatWebhookController } from './wechat-webhook.controller';
import { WeChatWebhookService } from './wechat-webhook.service';

/**
 * WeChat through an Official Account: the template-message adapter (marked @ChannelProvider: on the wechat
 * channel when CHANNEL_WECHAT=wechat-official-account), the shared access token, and the server URL that
 * takes WeChat's event pushes (delivery results, unfollows, messages).
 */
@Module({
  imports: [ChannelsModule, BookingsModule, NotificationStoreModule, OptOutModule],
  controllers: [WeChatWebhookController],
  providers: [WeChatTokenRepository, WeChatAccessTokens, WeChatTemplateAdapter, WeChatWebhookService],
  exports: [WeChatTemplateAdapter],
})
export class WeChatModule {}
