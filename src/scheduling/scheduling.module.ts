import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Clock, SystemClock } from './clock';
import { ScheduledJobRunner } from './job-runner.service';
import { ScheduledJobRunRepository } from './scheduled-job-run.repository';
import { ScheduledJobs } from './scheduled-jobs.service';

/**
 * Timed jobs, safe across replicas: the clock, the once-per-tick runner and the shared tick logging. The jobs
 * live with what they work on (check-in reminders in checkins, the retention purge in privacy), each with its
 * own `*.cron.ts`.
 */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [{ provide: Clock, useClass: SystemClock }, ScheduledJobRunner, ScheduledJobRunRepository, ScheduledJobs],
  exports: [Clock, ScheduledJobRunner, ScheduledJobs],
})
export class SchedulingModule {}
