import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DeliveryModule } from '../../delivery/delivery.module';
import { OptOutModule } from '../../opt-out/opt-out.module';
import { ChannelRegistry } from '../channel-registry';
import { ChannelsModule } from '../channels.module';
import { WhatsAppAccountUpdates } from './whatsapp-account-updates';
import { WhatsAppCloudAdapter } from './whatsapp-cloud.adapter';
import { WhatsAppTemplatePauseRepository } from './whatsapp-template-pause.repository';
import { WhatsAppTemplatePauses } from './whatsapp-template-pauses';
import { WhatsAppTemplates } from './whatsapp-templates';
import { WhatsAppWebhookController } from './whatsapp-webhook.controller';
import { WhatsAppWebhookService } from './whatsapp-webhook.service';

/**
 * WhatsApp through Meta's Cloud API: the channel adapter (sends) and the webhook (statuses, replies,
 * opt-outs). With CHANNEL_WHATSAPP=whatsapp-cloud it puts its adapter on the whatsapp channel of the
 * registry at init, before the dispatcher starts (onApplicationBootstrap).
 */
@Module({
  imports: [ChannelsModule, DeliveryModule, OptOutModule],
  controllers: [WhatsAppWebhookController],
  providers: [WhatsAppTemplates, WhatsAppTemplatePauseRepository, WhatsAppTemplatePauses, WhatsAppCloudAdapter, WhatsAppAccountUpdates, WhatsAppWebhookService],
  exports: [WhatsAppCloudAdapter],
})
export class WhatsAppModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ChannelRegistry,
    private readonly adapter: WhatsAppCloudAdapter,
  ) {}

  onModuleInit(): void {
    if (this.config.CHANNEL_WHATSAPP === 'whatsapp-cloud') this.registry.use('whatsapp', this.adapter);
  }
}
