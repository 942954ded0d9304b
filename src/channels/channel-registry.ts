import { Inject, Injectable } from '@nestjs/common';
import { ADAPTER_SETTING, APP_CONFIG, AppConfig } from '../config/app-config';
import { Channel, CHANNELS } from '../notifications/notification-types';
import type { ChannelAdapter } from './channel-adapter';
import { SandboxAdapter } from './sandbox/sandbox.adapter';

/** Picks the adapter configured for each channel; sandbox wherever no provider is configured. */
@Injectable()
export class ChannelRegistry {
  private readonly adapters = new Map<Channel, ChannelAdapter>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const sandbox = new SandboxAdapter(config.OUTBOX_DIR);
    for (const channel of CHANNELS) {
      const setting = config[ADAPTER_SETTING[channel]];
      if (setting !== 'sandbox') throw new Error(`no adapter named ${String(setting)} for channel ${channel}`);
      this.adapters.set(channel, sandbox);
    }
  }

  adapterFor(channel: Channel): ChannelAdapter {
    const adapter = this.adapters.get(channel);
    if (!adapter) throw new Error(`no adapter for channel ${channel}`);
    return adapter;
  }
}
