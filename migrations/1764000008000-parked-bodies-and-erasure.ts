import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parked events carry what erasure and oversize handling need: the size of the whole body (an oversize
 * body is stored as its first 4 KiB; body_sha256 stays the hash of the whole), the booking the body names
 * (so erasing a booking finds its parked events), and when its body was erased.
 */
export class ParkedBodiesAndErasure1764000008000 implements MigrationInterface {
  name = 'ParkedBodiesAndErasure1764000008000';

  async up(q: QueryRunner): Promise<void> {
    // NULL (rows written by an older replica during a rolling upgrade, say) means the stored body is whole.
    await q.query(`ALTER TABLE parked_events ADD COLUMN body_bytes integer`);
    await q.query(`ALTER TABLE parked_events ADD COLUMN booking_reference text`);
    await q.query(`ALTER TABLE parked_events ADD COLUMN erased_at timestamptz`);
    // Rows parked before this migration hold their whole body; the booking is read the way the service
    // reads it (the first "bookingReference": "XXXXXX" in the bytes), through 'escape' so any bytes decode.
    await q.query(`
      UPDATE parked_events SET body_bytes = octet_length(body),
             booking_reference = upper(substring(encode(body, 'escape') FROM '"bookingReference"\\s*:\\s*"([A-Za-z0-9]{6})"'))`);
    await q.query(`CREATE INDEX parked_events_booking ON parked_events (booking_reference) WHERE booking_reference IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS parked_events_booking`);
    await q.query(`ALTER TABLE parked_events DROP COLUMN IF EXISTS erased_at`);
    await q.query(`ALTER TABLE parked_events DROP COLUMN IF EXISTS booking_reference`);
    await q.query(`ALTER TABLE parked_events DROP COLUMN IF EXISTS body_bytes`);
  }
}
