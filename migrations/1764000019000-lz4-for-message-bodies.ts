import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19 (docs/decisions/0033): the rendered message (`content`, an e-mail is several KiB of HTML and
 * text), the planned facts (`context`) and timeline details are compressed with LZ4 rather than PostgreSQL's
 * default pglz when they are stored out of line: far less CPU per write, at a slightly lower ratio
 * (PostgreSQL 14+ docs, "default_toast_compression"). Only values written from now on; nothing is rewritten.
 * A server built without LZ4 keeps pglz.
 */
export class Lz4ForMessageBodies1764000019000 implements MigrationInterface {
  name = 'Lz4ForMessageBodies1764000019000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await lz4Available(q))) return;
    await q.query(`ALTER TABLE notifications ALTER COLUMN content SET COMPRESSION lz4, ALTER COLUMN context SET COMPRESSION lz4`);
    await q.query(`ALTER TABLE notification_events ALTER COLUMN detail SET COMPRESSION lz4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ALTER COLUMN content SET COMPRESSION default, ALTER COLUMN context SET COMPRESSION default`);
    await q.query(`ALTER TABLE notification_events ALTER COLUMN detail SET COMPRESSION default`);
  }
}

/** Whether this server was built with LZ4 (PostgreSQL lists it among default_toast_compression's values). */
export async function lz4Available(q: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await q.query(`SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`);
  return rows.length === 1;
}
