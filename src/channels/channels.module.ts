import { Module } from '@nestjs/common';
import { ChannelRegistry } from './channel-registry';

@Module({ providers: [ChannelRegistry], exports: [ChannelRegistry] })
export class ChannelsModule {}
