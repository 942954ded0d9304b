import { Module } from '@nestjs/common';
import { ChannelRegistry } from './channel-registry';
import { CustomerServiceWindowRepository } from './customer-service-window.repository';

@Module({
  providers: [ChannelRegistry, CustomerServiceWindowRepository],
  exports: [ChannelRegistry, CustomerServiceWindowRepository],
})
export class ChannelsModule {}
