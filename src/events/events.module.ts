import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { CheckinsModule } from '../checkins/checkins.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { FlightsModule } from '../flights/flights.module';
import { MessagingModule } from '../messaging/messaging.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { EventConsumer } from './event-consumer';
import { EventIngestor } from './event-ingestor.service';
import { EVENT_VALIDATOR_OPTIONS, eventValidatorProvider } from './event-validator';
import { InboxRepository } from './inbox.repository';
import { ParkedEventRepository } from './parked-event.repository';

@Module({
  imports: [MessagingModule, BookingsModule, CheckinsModule, FlightsModule, NotificationsModule],
  providers: [
    { provide: EVENT_VALIDATOR_OPTIONS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => ({ maxBytes: c.MAX_EVENT_BYTES }) },
    eventValidatorProvider,
    InboxRepository,
    ParkedEventRepository,
    EventIngestor,
    EventConsumer,
  ],
  exports: [EventIngestor, ParkedEventRepository],
})
export class EventsModule {}
