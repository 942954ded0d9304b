import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ChannelsModule } from '../channels/channels.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditModule } from '../ops/audit/audit.module';
import { BookingErasureController } from './booking-erasure.controller';
import { CheckinReminderJob } from './checkin-reminder.job';
import { CheckinReminderRepository } from './checkin-reminder.repository';
import { Clock, SystemClock } from './clock';
import { ScheduledJobRunner } from './job-runner';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';
import { ScheduledJobs } from './scheduled-jobs';

/** Timed jobs (check-in reminders, retention purge), safe across replicas, and erasure on request. */
@Module({
  imports: [ScheduleModule.forRoot(), NotificationsModule, AuditModule, ChannelsModule],
  controllers: [BookingErasureController],
  providers: [
    { provide: Clock, useClass: SystemClock },
    ScheduledJobRunner,
    CheckinReminderRepository,
    CheckinReminderJob,
    RetentionRepository,
    RetentionService,
    ScheduledJobs,
  ],
  exports: [Clock, CheckinReminderRepository, CheckinReminderJob, RetentionService],
})
export class SchedulingModule {}
