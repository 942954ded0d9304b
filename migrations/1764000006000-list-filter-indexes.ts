import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read API's list filters by type and by channel. A common value is found at once walking
 * notifications_newest; a rare one (a diversion, a channel no partner uses) walked the whole table: 72 ms on
 * 300,000 rows, growing with the table. One compact (type, channel) index serves a type (its prefix), a
 * type and channel, and a channel alone (the whole index is ~2 MB, a fraction of the table): plans before
 * and after, and what it costs the write path, in docs/list-filter-plans.md and docs/decisions/0005.
 *
 * Not CONCURRENTLY: replicas starting together wait for the migration lock inside a statement, and a
 * concurrent build waits for every such statement to end: they would wait for each other for ever. The plain
 * build blocks writes to notifications while it runs (1.3 s for 300,000 rows on this busy 2-core VM); on a much larger
 * table, build it beforehand with CREATE INDEX CONCURRENTLY under the same name and this step is skipped.
 */
export class ListFilterIndexes1764000006000 implements MigrationInterface {
  name = 'ListFilterIndexes1764000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_type_channel ON notifications (type, channel)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS notifications_type_channel`);
  }
}
