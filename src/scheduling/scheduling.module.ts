import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { NotificationsModule } from '../notifications/notifications.module';
import { CheckinReminderCron } from './checkin-reminder.cron';
import { CheckinReminderJob } from './checkin-reminder.job';
import { CheckinReminderRepository } from './checkin-reminder.repository';
import { Clock, SystemClock } from './clock';
import { ScheduledJobRunner } from './job-runner';
import { ScheduledJobs } from './scheduled-jobs';

/** Timed jobs, safe across replicas: the clock, the once-per-tick runner and the cron side (check-in reminders). */
@Module({
  imports: [ScheduleModule.forRoot(), NotificationsModule],
  providers: [
    { provide: Clock, useClass: SystemClock },
    ScheduledJobRunner,
    ScheduledJobs,
    CheckinReminderRepository,
    CheckinReminderJob,
    CheckinReminderCron,
  ],
  exports: [Clock, ScheduledJobRunner, ScheduledJobs, CheckinReminderRepository, CheckinReminderJob],
})
export class SchedulingModule {}
