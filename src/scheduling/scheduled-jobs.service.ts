import { Injectable, Logger } from '@nestjs/common';
import { SCHEDULING_CONFIG, SchedulingConfig, InjectConfig } from '../config/config-slices';
import type { JobOutcome } from './job-runner.service';

/**
 * The cron side, shared by every timed job: each module's `*.cron.ts` fires its job on its @Cron schedule on
 * every replica, the job itself makes sure one replica does the work (ScheduledJobRunner).
 * SCHEDULER_ENABLED=false leaves a process out.
 */
@Injectable()
export class ScheduledJobs {
  private readonly logger = new Logger(ScheduledJobs.name);

  constructor(@InjectConfig(SCHEDULING_CONFIG) private readonly config: SchedulingConfig) {}

  /** A failed tick is logged and left to the next one: its transaction rolled back, nothing half-done. */
  async tick(name: string, run: () => Promise<JobOutcome>): Promise<void> {
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
