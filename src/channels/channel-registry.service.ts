import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CHANNELS_CONFIG, ChannelsConfig, InjectConfig } from '../config/config-slices';
import { DeliveryChannel } from '../vocabulary/notification-types';
import type { ChannelAdapter } from './channel-adapter';
import { ChannelProvider } from './channel-provider.decorator';
import { SandboxAdapter } from './sandbox/sandbox.adapter';

/**
 * Picks the adapter configured for each channel; sandbox wherever no provider is configured. Provider
 * adapters live in their own modules (with their webhook controllers), each marked @ChannelProvider, and are
 * found once at start: no module registers an adapter by hand, and none is registered twice.
 */
@Injectable()
export class ChannelRegistry implements OnModuleInit {
  private readonly adapters: Record<DeliveryChannel, ChannelAdapter>;
  private readonly sandbox: SandboxAdapter;

  constructor(
    @InjectConfig(CHANNELS_CONFIG) private readonly config: ChannelsConfig,
    private readonly discovery: DiscoveryService,
  ) {
    this.sandbox = new SandboxAdapter(config.OUTBOX_DIR);
    const sandbox = this.sandbox;
    this.adapters = { whatsapp: sandbox, sms: sandbox, email: sandbox, messenger: sandbox, wechat: sandbox, push: sandbox, webhook: sandbox };
  }

  onModuleInit(): void {
    const chosen = new Map<DeliveryChannel, string>();
    for (const wrapper of this.discovery.getProviders({ metadataKey: ChannelProvider.KEY })) {
      const options = this.discovery.getMetadataByDecorator(ChannelProvider, wrapper);
      if (!options?.enabled(this.config)) continue;
      // Two enabled providers for one channel (or one adapter provided by two modules) is a wiring mistake.
      const before = chosen.get(options.channel);
      if (before) throw new Error(`two providers for the ${options.channel} channel: ${before} and ${wrapper.name}`);
      chosen.set(options.channel, String(wrapper.name));
      this.use(options.channel, wrapper.instance as ChannelAdapter);
    }
    if (Object.values(this.adapters).includes(this.sandbox)) this.sandbox.prepare();
  }

  adapterFor(channel: DeliveryChannel): ChannelAdapter {
    return this.adapters[channel];
  }

  /** Puts another adapter on a channel (tests and the benchmark use local providers this way). */
  use(channel: DeliveryChannel, adapter: ChannelAdapter): void {
    this.adapters[channel] = adapter;
  }
}
