import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The advisory-lock namespace (first key of the two-key form) of scheduled jobs; the job name is the second. */
const JOB_LOCK_NAMESPACE = 72_406;

/** scheduled_job_runs (one row per job and tick that ran) and the jobs' transaction-level advisory lock. */
@Injectable()
export class ScheduledJobRunRepository {
  /** pg_try_advisory_xact_lock for the job: true when taken, held until the transaction ends; never waits. */
  async tryLock(m: EntityManager, job: string): Promise<boolean> {
    const rows: { locked: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`, [
      JOB_LOCK_NAMESPACE,
      job,
    ]);
    return rows[0].locked;
  }

  /** Records the tick as run; false when a replica committed it already. */
  async claim(m: EntityManager, job: string, tick: Date): Promise<boolean> {
    const claimed: unknown[] = await m.query(
      `INSERT INTO scheduled_job_runs (job, tick) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING job`,
      [job, tick],
    );
    return claimed.length > 0;
  }

  async finish(m: EntityManager, job: string, tick: Date, affected: number): Promise<void> {
    await m.query(`UPDATE scheduled_job_runs SET finished_at = clock_timestamp(), affected = $3 WHERE job = $1 AND tick = $2`, [
      job,
      tick,
      affected,
    ]);
  }
}
