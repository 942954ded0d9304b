import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { BookingEventHandler } from './booking-event.handler';
import { BookingRepository } from './booking.repository';

@Module({
  imports: [NotificationsModule],
  providers: [BookingRepository, BookingEventHandler],
  exports: [BookingRepository, BookingEventHandler],
})
export class BookingsModule {}
