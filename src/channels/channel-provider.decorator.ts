import { DiscoveryService } from '@nestjs/core';
import type { ChannelsConfig } from '../config/config-slices';
import type { DeliveryChannel } from '../vocabulary/notification-types';

export interface ChannelProviderOptions {
  channel: DeliveryChannel;
  /** Whether the configuration puts this provider on its channel (otherwise the sandbox stays). */
  enabled: (config: ChannelsConfig) => boolean;
}

/**
 * Marks a provider adapter, provided by its own module and nowhere else: the ChannelRegistry finds every
 * marked provider at start (Nest's DiscoveryService) and puts each enabled one on its channel. Adding a
 * provider (Messenger, WeChat) is its module plus this mark; neither the registry nor another module names it.
 */
export const ChannelProvider = DiscoveryService.createDecorator<ChannelProviderOptions>();
