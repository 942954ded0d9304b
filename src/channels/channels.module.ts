import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ChannelRegistry } from './channel-registry.service';
import { CustomerServiceWindowRepository } from './customer-service-window.repository';
import { StatusReportInbox } from './status-report-inbox.service';
import { WebhookInbox } from './webhook-inbox.service';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

@Module({
  imports: [DiscoveryModule],
  providers: [ChannelRegistry, CustomerServiceWindowRepository, WebhookReceiptsRepository, WebhookInbox, StatusReportInbox],
  exports: [ChannelRegistry, CustomerServiceWindowRepository, WebhookInbox, StatusReportInbox],
})
export class ChannelsModule {}
