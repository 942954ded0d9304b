import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reasons in the passenger's language (issue 16, docs/decisions/0023): the flight state keeps the IATA delay code
 * and the language of the free-text reason beside the snapshot, and a cancelled booking the language of its reason,
 * so an operator can query them without reading JSON. Nullable: rows written before are "not known".
 */
export class ReasonsInPassengerLanguage1764000016000 implements MigrationInterface {
  name = 'ReasonsInPassengerLanguage1764000016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flight_status ADD COLUMN IF NOT EXISTS delay_code text, ADD COLUMN IF NOT EXISTS reason_language text`);
    await q.query(`ALTER TABLE bookings ADD COLUMN IF NOT EXISTS cancellation_reason_language text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bookings DROP COLUMN IF EXISTS cancellation_reason_language`);
    await q.query(`ALTER TABLE flight_status DROP COLUMN IF EXISTS reason_language, DROP COLUMN IF EXISTS delay_code`);
  }
}
