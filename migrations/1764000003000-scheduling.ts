import { MigrationInterface, QueryRunner } from 'typeorm';

/** Timed jobs: check-in reminders planned once per passenger and flight, job ticks run once, purged bookings. */
export class Scheduling1764000003000 implements MigrationInterface {
  name = 'Scheduling1764000003000';

  async up(q: QueryRunner): Promise<void> {
    // A purged booking keeps its row (and its notifications' type/channel/status) so counts still add up.
    await q.query(`ALTER TABLE bookings ADD COLUMN purged_at timestamptz`);
    await q.query(`CREATE INDEX bookings_not_purged ON bookings (booking_reference) WHERE purged_at IS NULL`);
    await q.query(`CREATE INDEX bookings_purged_at ON bookings (purged_at) WHERE purged_at IS NOT NULL`);
    // The reminder job looks for segments departing within the next day or so.
    await q.query(`CREATE INDEX segments_departure ON segments (scheduled_departure)`);
    // One check-in reminder per passenger and flight, whatever the channels: the job's own dedupe.
    await q.query(`
      CREATE TABLE checkin_reminders (
        booking_reference text NOT NULL REFERENCES bookings ON DELETE CASCADE,
        passenger_id text NOT NULL,
        flight_key text NOT NULL,
        segment_id text NOT NULL,
        notifications integer NOT NULL,
        planned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (booking_reference, passenger_id, flight_key)
      )`);
    // A tick of a job that committed; a replica arriving later for the same tick does nothing.
    await q.query(`
      CREATE TABLE scheduled_job_runs (
        job text NOT NULL,
        tick timestamptz NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        affected integer,
        PRIMARY KEY (job, tick)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS scheduled_job_runs`);
    await q.query(`DROP TABLE IF EXISTS checkin_reminders`);
    await q.query(`DROP INDEX IF EXISTS segments_departure`);
    await q.query(`DROP INDEX IF EXISTS bookings_purged_at`);
    await q.query(`DROP INDEX IF EXISTS bookings_not_purged`);
    await q.query(`ALTER TABLE bookings DROP COLUMN IF EXISTS purged_at`);
  }
}
