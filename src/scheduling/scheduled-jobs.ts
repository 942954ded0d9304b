import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CheckinReminderJob } from './checkin-reminder.job';
import type { JobOutcome } from './job-runner';
import { RetentionService } from './retention.service';

/**
 * The cron side: every replica fires every tick, the jobs themselves make sure one replica does the work
 * (ScheduledJobRunner). SCHEDULER_ENABLED=false leaves a process out.
 */
@Injectable()
export class ScheduledJobs {
  private readonly logger = new Logger(ScheduledJobs.name);

  constructor(
    private readonly reminders: CheckinReminderJob,
    private readonly retention: RetentionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: CheckinReminderJob.NAME, waitForCompletion: true })
  async checkinReminders(): Promise<void> {
    await this.tick(CheckinReminderJob.NAME, () => this.reminders.run());
  }

  @Cron(CronExpression.EVERY_HOUR, { name: RetentionService.JOB, waitForCompletion: true })
  async retentionPurge(): Promise<void> {
    await this.tick(RetentionService.JOB, () => this.retention.run());
  }

  /** A failed tick is logged and left to the next one: its transaction rolled back, nothing half-done. */
  private async tick(name: string, run: () => Promise<JobOutcome>): Promise<void> {
    if (!this.config.SCHEDULER_ENABLED) return;
    try {
      const outcome = await run();
      if (outcome.ran && outcome.affected > 0) this.logger.log(`${name} ${outcome.tick.toISOString()}: ${outcome.affected}`);
      else this.logger.debug(`${name} ${outcome.tick.toISOString()}: ${outcome.ran ? 'nothing to do' : outcome.reason}`);
    } catch (error) {
      this.logger.error(`${name} failed, the next tick tries again: ${(error as Error).message}`);
    }
  }
}
