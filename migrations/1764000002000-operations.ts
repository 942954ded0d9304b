import { MigrationInterface, QueryRunner } from 'typeorm';

/** Operator actions are recorded: who did what, when, to how many. */
export class Operations1764000002000 implements MigrationInterface {
  name = 'Operations1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        role text NOT NULL,
        action text NOT NULL,
        target text,
        affected integer NOT NULL DEFAULT 0,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at DESC)`);
    await q.query(`
      CREATE TABLE replays (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        filter jsonb NOT NULL,
        force boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'running',
        total integer NOT NULL,
        replayed integer NOT NULL DEFAULT 0,
        skipped integer NOT NULL DEFAULT 0,
        cursor_id uuid,
        requested_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE webhook_receipts (
        provider text NOT NULL,
        digest text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, digest)
      )`);
    await q.query(`CREATE INDEX webhook_receipts_received_at ON webhook_receipts (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS webhook_receipts`);
    await q.query(`DROP TABLE IF EXISTS replays`);
    await q.query(`DROP TABLE IF EXISTS audit_log`);
  }
}
