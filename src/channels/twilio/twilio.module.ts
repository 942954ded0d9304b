import { ChannelsModule } from '../channels.module';
import { Module } from '@nestjs/common';
import { BookingsModule } from '../../bookings/bookings.module';
import { OptOutModule } from '../../opt-out/opt-out.module';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioSmsAdapter } from './twilio-sms.adapter';
import { TwilioWebhookController } from './twilio-webhook.controller';

/** SMS through Twilio: the adapter, and the signed status / incoming-message webhooks. */
@Module({
  imports: [BookingsModule, OptOutModule, ChannelsModule],
  controllers: [TwilioWebhookController],
  providers: [TwilioSmsAdapter, TwilioSignatureGuard],
  exports: [TwilioSmsAdapter],
})
export class TwilioModule {}
