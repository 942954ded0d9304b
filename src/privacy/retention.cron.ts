import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service';
import { RetentionService } from './retention.service';

/** Hourly, on every replica; one of them purges. */
@Injectable()
export class RetentionCron {
  constructor(
    private readonly retention: RetentionService,
    private readonly jobs: ScheduledJobs,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: RetentionService.JOB, waitForCompletion: true })
  async retentionPurge(): Promise<void> {
    await this.jobs.tick(RetentionService.JOB, () => this.retention.run());
  }
}
