import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service';
import { CheckinReminderJob } from './checkin-reminder.job';

/** Every minute, on every replica; one of them sends the reminders. */
@Injectable()
export class CheckinReminderCron {
  constructor(
    private readonly reminders: CheckinReminderJob,
    private readonly jobs: ScheduledJobs,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: CheckinReminderJob.NAME, waitForCompletion: true })
  async checkinReminders(): Promise<void> {
    await this.jobs.tick(CheckinReminderJob.NAME, () => this.reminders.run());
  }
}
