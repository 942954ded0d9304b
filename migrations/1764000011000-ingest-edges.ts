import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, points 4 and 5. A passenger's contact that cannot be used (an unparseable or invalid phone
 * number, a malformed e-mail address) is kept out of `contacts` and recorded with its reason in
 * `unusable_contacts`, so the rest of the booking applies. A parked event keeps the AMQP properties and
 * headers it arrived with (a binary-mode event's attributes live there), so a re-drive sees what the
 * producer sent.
 */
export class IngestEdges1764000011000 implements MigrationInterface {
  name = 'IngestEdges1764000011000';

  async up(q: QueryRunner): Promise<void> {
    // [{ "channel": "sms", "reason": "not-a-number", "detail": "..." }]: never the value itself.
    await q.query(`ALTER TABLE passengers ADD COLUMN unusable_contacts jsonb NOT NULL DEFAULT '[]'`);
    // NULL: parked before this migration, or re-driven with a corrected body: read as structured mode.
    await q.query(`ALTER TABLE parked_events ADD COLUMN amqp_properties jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE parked_events DROP COLUMN IF EXISTS amqp_properties`);
    await q.query(`ALTER TABLE passengers DROP COLUMN IF EXISTS unusable_contacts`);
  }
}
