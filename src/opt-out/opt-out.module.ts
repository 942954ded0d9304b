import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { OptOutService } from './opt-out.service';

/** Opt-out replies for every channel that receives them (SMS, WhatsApp; later Messenger, WeChat). */
@Module({
  imports: [BookingsModule],
  providers: [OptOutService],
  exports: [OptOutService],
})
export class OptOutModule {}
