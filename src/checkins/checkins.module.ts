import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { FlightsModule } from '../flights/flights.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { CheckinEventHandler } from './checkin-event.handler';
import { CheckinReminderCron } from './checkin-reminder.cron';
import { CheckinReminderJob } from './checkin-reminder.job';
import { CheckinReminderRepository } from './checkin-reminder.repository';
import { CheckinRepository } from './checkin.repository';
import { BoardingPassReissue } from './boarding-pass-reissue';

/**
 * Check-ins: boarding passes from checkin.completed, re-issued after a gate or time change where no wallet pass keeps
 * the passenger current (docs/decisions/0034), and the reminder when check-in opens (every minute).
 */
@Module({
  imports: [BookingsModule, FlightsModule, NotificationsModule, SchedulingModule],
  providers: [CheckinRepository, CheckinEventHandler, BoardingPassReissue, CheckinReminderRepository, CheckinReminderJob, CheckinReminderCron],
  exports: [CheckinRepository, CheckinEventHandler, CheckinReminderJob],
})
export class CheckinsModule {}
