import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { FlightNewsRepository } from './flight-news.repository';
import { FlightObservers } from './flight-observers';
import { FlightStatusEventHandler } from './flight-status-event.handler';
import { FlightStatusRepository } from './flight-status.repository';

@Module({
  imports: [BookingsModule, NotificationsModule],
  providers: [FlightStatusRepository, FlightNewsRepository, FlightStatusEventHandler, FlightObservers],
  exports: [FlightStatusRepository, FlightStatusEventHandler, FlightObservers],
})
export class FlightsModule {}
