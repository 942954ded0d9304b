import { Module } from '@nestjs/common';
import { ChannelRegistry } from './channel-registry';
import { CustomerServiceWindowRepository } from './customer-service-window.repository';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

@Module({
  providers: [ChannelRegistry, CustomerServiceWindowRepository, WebhookReceiptsRepository],
  exports: [ChannelRegistry, CustomerServiceWindowRepository, WebhookReceiptsRepository],
})
export class ChannelsModule {}
