import { Module } from '@nestjs/common';
import { ChannelRegistry } from './channel-registry';
import { CustomerServiceWindowRepository } from './customer-service-window.repository';
import { WebhookInbox } from './webhook-inbox';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

@Module({
  providers: [ChannelRegistry, CustomerServiceWindowRepository, WebhookReceiptsRepository, WebhookInbox],
  exports: [ChannelRegistry, CustomerServiceWindowRepository, WebhookInbox],
})
export class ChannelsModule {}
