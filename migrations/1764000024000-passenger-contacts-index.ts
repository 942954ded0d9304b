import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A STOP reply withdraws consent from every passenger reached at that number, and erasing a booking keeps a
 * contact's bookkeeping while another booking still names it: both looked passengers up by a contact
 * (`contacts ->> channel = value`), which no index served, so each read the whole table — 149–225 ms per STOP on a
 * million passengers, growing with the table (docs/decisions/0055). A GIN index of the contacts' values
 * (jsonb_path_ops: one entry per contact) answers `contacts @> {"<channel>": "<value>"}` in under a millisecond.
 *
 * Not CONCURRENTLY, for the reason migration 1764000006000 gives; the build blocks writes to passengers while it
 * runs (7.3 s for a million passengers on a 2-core VM). On a larger table, build it beforehand with
 * CREATE INDEX CONCURRENTLY under the same name and this step is skipped.
 */
export class PassengerContactsIndex1764000024000 implements MigrationInterface {
  name = 'PassengerContactsIndex1764000024000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS passengers_contacts ON passengers USING gin (contacts jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS passengers_contacts`);
  }
}
