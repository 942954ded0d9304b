import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ChannelRegistry } from './channel-registry.service';
import { CustomerServiceWindowRepository } from './customer-service-window.repository';
import { SandboxOutbox } from './sandbox/sandbox-outbox';
import { WebhookInbox } from './webhook-inbox.service';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

@Module({
  imports: [DiscoveryModule],
  providers: [ChannelRegistry, CustomerServiceWindowRepository, WebhookReceiptsRepository, WebhookInbox, SandboxOutbox],
  exports: [ChannelRegistry, CustomerServiceWindowRepository, WebhookInbox, SandboxOutbox],
})
export class ChannelsModule {}
