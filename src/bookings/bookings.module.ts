import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { BookingEventHandler } from './booking-event.handler';
import { BookingRepository } from './booking.repository';
import { BookingSnapshotRepository } from './booking-snapshot.repository';
import { BookingsController } from './bookings.controller';
import { ConsentService } from './consent.service';

@Module({
  imports: [NotificationsModule],
  controllers: [BookingsController],
  providers: [BookingRepository, BookingSnapshotRepository, BookingEventHandler, ConsentService],
  exports: [BookingRepository, BookingEventHandler, ConsentService],
})
export class BookingsModule {}
