import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ScheduledJobRunRepository } from './scheduled-job-run.repository';

export type JobOutcome =
  | { job: string; tick: Date; ran: true; affected: number }
  /** locked: another replica is running the job now; already-run: a replica committed this tick. */
  | { job: string; tick: Date; ran: false; reason: 'locked' | 'already-run' };

/**
 * Runs a scheduled job once per tick across any number of replicas. The work runs inside one transaction
 * that holds a transaction-level advisory lock for the job (pg_try_advisory_xact_lock: a replica finding it
 * taken skips, it never waits) and inserts the tick into scheduled_job_runs (a replica arriving after the
 * commit finds the tick done). A replica dying mid-job takes both with it: the transaction rolls back, the
 * lock is released with the connection, and the next tick (or another replica) does the work again.
 */
@Injectable()
export class ScheduledJobRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: ScheduledJobRunRepository,
  ) {}

  async runTick(job: string, tick: Date, work: (m: EntityManager) => Promise<number>): Promise<JobOutcome> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.runs.tryLock(m, job))) return { job, tick, ran: false, reason: 'locked' } as const;
      if (!(await this.runs.claim(m, job, tick))) return { job, tick, ran: false, reason: 'already-run' } as const;
      const affected = await work(m);
      await this.runs.finish(m, job, tick, affected);
      return { job, tick, ran: true, affected } as const;
    });
  }

  /** Further work of a tick in a transaction of its own, still one replica at a time; undefined if locked. */
  async runLocked(job: string, work: (m: EntityManager) => Promise<number>): Promise<number | undefined> {
    return this.dataSource.transaction(async (m) => ((await this.runs.tryLock(m, job)) ? work(m) : undefined));
  }
}
