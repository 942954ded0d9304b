import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { FlightStatusEventHandler } from './flight-status-event.handler';
import { FlightStatusRepository } from './flight-status.repository';

@Module({
  imports: [BookingsModule, NotificationsModule],
  providers: [FlightStatusRepository, FlightStatusEventHandler],
  exports: [FlightStatusRepository, FlightStatusEventHandler],
})
export class FlightsModule {}
