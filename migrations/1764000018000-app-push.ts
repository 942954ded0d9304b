import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The passenger's app (issue 18, docs/decisions/0028). `app_devices`: the devices the airline's app backend
 * registers for an account (personal data: erased with the bookings naming the account, purged when stale).
 * `provider_tokens`: the short-lived credentials every replica shares (FCM's OAuth2 access token, the APNs
 * provider token), so one replica mints them and the others reuse them.
 */
export class AppPush1764000018000 implements MigrationInterface {
  name = 'AppPush1764000018000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS app_devices (
        installation_id text PRIMARY KEY,
        account_id text NOT NULL,
        platform text NOT NULL CHECK (platform IN ('ios', 'android')),
        push_token text NOT NULL,
        locale text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS app_devices_account ON app_devices (account_id)`);
    // One token is one app on one phone: a token registered again under another installation moves there.
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS app_devices_token ON app_devices (platform, push_token)`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS provider_tokens (
        name text PRIMARY KEY,
        token text NOT NULL,
        refresh_after timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS provider_tokens`);
    await q.query(`DROP TABLE IF EXISTS app_devices`);
  }
}
