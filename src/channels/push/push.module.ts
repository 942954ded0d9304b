import { Module } from '@nestjs/common';
import { RenderingModule } from '../../rendering/rendering.module';
import { ChannelsModule } from '../channels.module';
import { AppDevicesController } from './app-devices.controller';
import { AppDevicesRepository } from './app-devices.repository';
import { AppDevicesService } from './app-devices.service';
import { ProviderTokenRepository } from './provider-token.repository';
import { PushAdapter } from './push.adapter';
import { SharedTokens } from './shared-tokens.service';

/**
 * The passenger's app: the devices API the app backend calls, and the push adapter (FCM and APNs), marked
 * @ChannelProvider: the ChannelRegistry puts it on the push channel when CHANNEL_PUSH=fcm-apns.
 */
@Module({
  imports: [ChannelsModule, RenderingModule],
  controllers: [AppDevicesController],
  providers: [AppDevicesRepository, AppDevicesService, ProviderTokenRepository, SharedTokens, PushAdapter],
  exports: [PushAdapter, SharedTokens],
})
export class PushModule {}
