import { DynamicModule, Module } from '@nestjs/common';
import { BookingsModule } from './bookings/bookings.module';
import { EmailModule } from './channels/email/email.module';
import { MessengerModule } from './channels/messenger/messenger.module';
import { PushModule } from './channels/push/push.module';
import { TwilioModule } from './channels/twilio/twilio.module';
import { PartnerWebhookModule } from './channels/webhook/partner-webhook.module';
import { WeChatModule } from './channels/wechat/wechat.module';
import { WhatsAppModule } from './channels/whatsapp/whatsapp.module';
import { CheckinsModule } from './checkins/checkins.module';
import { AppConfig, loadConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DeliveryModule } from './delivery/delivery.module';
import { FallbackService } from './delivery/fallback.service';
import { EventsModule } from './events/events.module';
import { FlightsModule } from './flights/flights.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ProviderStatusModule } from './notifications/provider-status.module';
import { NotificationsApiModule } from './ops/notifications-api/notifications-api.module';
import { OpsModule } from './ops/ops.module';
import { PrivacyModule } from './privacy/privacy.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { TracingModule } from './tracing/tracing.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        MetricsModule,
        EventsModule,
        NotificationsModule,
        NotificationsApiModule,
        DeliveryModule,
        // Provider webhooks apply statuses below the channels; a permanent failure still falls back (delivery).
        ProviderStatusModule.forRoot({ imports: [DeliveryModule], afterPermanentFailure: FallbackService }),
        WhatsAppModule,
        MessengerModule,
        TwilioModule,
        EmailModule,
        PushModule,
        PartnerWebhookModule,
        WeChatModule,
        HealthModule,
        OpsModule,
        SchedulingModule,
        PrivacyModule,
        TracingModule,
        // Each feature's event handlers register themselves with the events module (@HandlesEvents). Listed last:
        // routes appear in the OpenAPI document (and the dashboard's generated types) in module order, as before.
        BookingsModule,
        FlightsModule,
        CheckinsModule,
      ],
    };
  }
}
