import { Injectable, OnModuleInit, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CHANNELS_CONFIG, ChannelsConfig, InjectConfig } from '../config/config-slices';
import { DeliveryChannel } from '../shared/notification-types';
import type { ChannelAdapter } from './channel-adapter';
import { SmtpEmailAdapter } from './email/smtp-email.adapter';
import { SandboxAdapter } from './sandbox/sandbox.adapter';
import { TwilioSmsAdapter } from './twilio/twilio-sms.adapter';
import { PartnerWebhookAdapter } from './webhook/partner-webhook.adapter';
import { WhatsAppCloudAdapter } from './whatsapp/whatsapp-cloud.adapter';

/**
 * Picks the adapter configured for each channel; sandbox wherever no provider is configured. Provider
 * adapters live in their own modules (with their webhook controllers) and are looked up once at start.
 */
@Injectable()
export class ChannelRegistry implements OnModuleInit {
  private readonly adapters: Record<DeliveryChannel, ChannelAdapter>;

  constructor(
    @InjectConfig(CHANNELS_CONFIG) private readonly config: ChannelsConfig,
    private readonly moduleRef: ModuleRef,
  ) {
    const sandbox = new SandboxAdapter(config.OUTBOX_DIR);
    this.adapters = { whatsapp: sandbox, sms: sandbox, email: sandbox, webhook: sandbox };
  }

  onModuleInit(): void {
    const provider = <T extends ChannelAdapter>(type: Type<T>) => this.moduleRef.get(type, { strict: false });
    if (this.config.CHANNEL_WHATSAPP === 'whatsapp-cloud') this.use('whatsapp', provider(WhatsAppCloudAdapter));
    if (this.config.CHANNEL_SMS === 'twilio') this.use('sms', provider(TwilioSmsAdapter));
    if (this.config.CHANNEL_EMAIL === 'smtp') this.use('email', provider(SmtpEmailAdapter));
    if (this.config.PARTNER_WEBHOOKS.length > 0) this.use('webhook', provider(PartnerWebhookAdapter));
  }

  adapterFor(channel: DeliveryChannel): ChannelAdapter {
    return this.adapters[channel];
  }

  /** Puts another adapter on a channel (tests and the benchmark use local providers this way). */
  use(channel: DeliveryChannel, adapter: ChannelAdapter): void {
    this.adapters[channel] = adapter;
  }
}
