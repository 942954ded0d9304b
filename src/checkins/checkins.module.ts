import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { FlightsModule } from '../flights/flights.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { CheckinEventHandler } from './checkin-event.handler';
import { CheckinRepository } from './checkin.repository';

@Module({
  imports: [BookingsModule, FlightsModule, NotificationsModule, SchedulingModule],
  providers: [CheckinRepository, CheckinEventHandler],
  exports: [CheckinRepository, CheckinEventHandler],
})
export class CheckinsModule {}
