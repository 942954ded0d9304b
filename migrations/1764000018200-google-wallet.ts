import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Google Wallet boarding passes (issue 18, docs/decisions/0032). `google_wallet_resources`: every FlightClass and
 * FlightObject a save link was made for — only these are ever PATCHed — and the queue of their PATCHes: a class is
 * due when its flight's `flight_status.version` passed `synced_version`, an object when `pending` holds facts Google
 * has not been sent. Replicas claim due rows with SKIP LOCKED and a lease (`claimed_until`), so one PATCH goes per
 * change. Object rows hold personal data (`pending`/`facts`: name, seat, bar code; `booking_reference`).
 */
export class GoogleWallet1764000018200 implements MigrationInterface {
  name = 'GoogleWallet1764000018200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS google_wallet_resources (
        resource_id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('flightClass', 'flightObject')),
        carrier text NOT NULL,
        flight_number text NOT NULL,
        departure_date date NOT NULL,
        origin text NOT NULL,
        booking_reference text,
        synced_version integer NOT NULL DEFAULT 0,
        facts jsonb,
        pending jsonb,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        last_status integer,
        last_error text,
        patched_at timestamptz,
        issued_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS google_wallet_resources_flight ON google_wallet_resources (carrier, flight_number, departure_date, origin)`);
    await q.query(`CREATE INDEX IF NOT EXISTS google_wallet_resources_booking ON google_wallet_resources (booking_reference) WHERE booking_reference IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS google_wallet_resources`);
  }
}
