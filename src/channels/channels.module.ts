import { Module } from '@nestjs/common';
import { ChannelRegistry } from './channel-registry';
import { CustomerServiceWindowRepository } from './customer-service-window.repository';
import { SandboxOutbox } from './sandbox/sandbox-outbox';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

@Module({
  providers: [ChannelRegistry, CustomerServiceWindowRepository, WebhookReceiptsRepository, SandboxOutbox],
  exports: [ChannelRegistry, CustomerServiceWindowRepository, WebhookReceiptsRepository, SandboxOutbox],
})
export class ChannelsModule {}
