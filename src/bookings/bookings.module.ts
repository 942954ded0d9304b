import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { BookingEventHandler } from './booking-event.handler';
import { BookingRepository } from './booking.repository';
import { ConsentService } from './consent.service';

@Module({
  imports: [NotificationsModule],
  providers: [BookingRepository, BookingEventHandler, ConsentService],
  exports: [BookingRepository, BookingEventHandler, ConsentService],
})
export class BookingsModule {}
