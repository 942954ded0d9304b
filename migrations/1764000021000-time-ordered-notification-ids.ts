import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19 (docs/decisions/0043): notification ids ordered by time (UUID version 7, RFC 9562 §5.7) instead of
 * random (version 4). Every write of a notification adds an entry to indexes keyed by its id (the primary keys
 * of `notifications` and `notification_keys`, the timeline's index by notification); random ids spread those
 * entries over every leaf page of each index, ids of one moment put them side by side. PostgreSQL 15 has no
 * built-in generator (`uuidv7()` arrives in 18): this one takes a v4 UUID's random bits and writes the Unix time in
 * milliseconds into its first 48 bits and 0111 into its version nibble (the variant bits stay RFC 9562's).
 */
export class TimeOrderedNotificationIds1764000021000 implements MigrationInterface {
  name = 'TimeOrderedNotificationIds1764000021000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION time_ordered_uuid() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
         SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                  PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
                52, 1), 53, 1), 'hex')::uuid
       $$`,
    );
    await q.query(`ALTER TABLE notifications ALTER COLUMN id SET DEFAULT time_ordered_uuid()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION time_ordered_uuid()`);
  }
}
