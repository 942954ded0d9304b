import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Apple Wallet boarding passes (issue 18, docs/decisions/0031). `apple_wallet_passes`: one pass per passenger and
 * leg, its serial number, the authentication token Wallet calls back with, the facts it shows (kept current by
 * flight changes), its last update (Last-Modified, whole seconds) and update tag (passesUpdatedSince).
 * `apple_wallet_registrations`: which device (and its push token) holds which pass. `apple_wallet_pushes`: the
 * update pushes still to send, one row per device push token, claimed by one replica at a time.
 */
export class AppleWallet1764000018100 implements MigrationInterface {
  name = 'AppleWallet1764000018100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE IF NOT EXISTS apple_wallet_update_tags`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS apple_wallet_passes (
        serial_number uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pass_type_id text NOT NULL,
        booking_reference text NOT NULL,
        passenger_id text NOT NULL,
        flight_key text NOT NULL,
        authentication_token text NOT NULL,
        facts jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT date_trunc('second', now()),
        update_tag bigint NOT NULL DEFAULT nextval('apple_wallet_update_tags'),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (pass_type_id, booking_reference, passenger_id, flight_key)
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS apple_wallet_passes_flight ON apple_wallet_passes (flight_key)`);
    await q.query(`CREATE INDEX IF NOT EXISTS apple_wallet_passes_booking ON apple_wallet_passes (booking_reference)`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS apple_wallet_registrations (
        device_library_id text NOT NULL,
        pass_type_id text NOT NULL,
        serial_number uuid NOT NULL REFERENCES apple_wallet_passes (serial_number) ON DELETE CASCADE,
        push_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_library_id, pass_type_id, serial_number)
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS apple_wallet_registrations_serial ON apple_wallet_registrations (serial_number)`);
    await q.query(`CREATE INDEX IF NOT EXISTS apple_wallet_registrations_token ON apple_wallet_registrations (push_token)`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS apple_wallet_pushes (
        pass_type_id text NOT NULL,
        push_token text NOT NULL,
        update_tag bigint NOT NULL,
        due_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        PRIMARY KEY (pass_type_id, push_token)
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS apple_wallet_pushes_due ON apple_wallet_pushes (due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS apple_wallet_pushes`);
    await q.query(`DROP TABLE IF EXISTS apple_wallet_registrations`);
    await q.query(`DROP TABLE IF EXISTS apple_wallet_passes`);
    await q.query(`DROP SEQUENCE IF EXISTS apple_wallet_update_tags`);
  }
}
