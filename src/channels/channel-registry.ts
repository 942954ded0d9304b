import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeliveryChannel } from '../notifications/notification-types';
import type { ChannelAdapter } from './channel-adapter';
import { SandboxAdapter } from './sandbox/sandbox.adapter';

/** Picks the adapter configured for each channel; sandbox wherever no provider is configured. */
@Injectable()
export class ChannelRegistry {
  private readonly adapters: Record<DeliveryChannel, ChannelAdapter>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const sandbox = new SandboxAdapter(config.OUTBOX_DIR);
    this.adapters = { whatsapp: sandbox, sms: sandbox, email: sandbox, webhook: sandbox };
  }

  adapterFor(channel: DeliveryChannel): ChannelAdapter {
    return this.adapters[channel];
  }

  /** Puts another adapter on a channel (tests and the benchmark use local providers this way). */
  use(channel: DeliveryChannel, adapter: ChannelAdapter): void {
    this.adapters[channel] = adapter;
  }
}
