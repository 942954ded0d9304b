import { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema: event inbox and parked events, booking state, flight state, notifications and their timeline. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbox_events (
        source text NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source, event_id)
      )`);
    await q.query(`
      CREATE TABLE parked_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reason_code text NOT NULL,
        reason text NOT NULL,
        type text,
        source text,
        event_id text,
        routing_key text NOT NULL,
        body bytea NOT NULL,
        body_sha256 text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        redriven_at timestamptz
      )`);
    // One open parked row per body: a crash between recording and acking must not list it twice.
    await q.query(
      `CREATE UNIQUE INDEX parked_events_open_body ON parked_events (body_sha256, reason_code) WHERE redriven_at IS NULL`,
    );
    await q.query(`CREATE INDEX parked_events_parked_at ON parked_events (parked_at DESC)`);

    await q.query(`
      CREATE TABLE bookings (
        booking_reference text PRIMARY KEY,
        status text NOT NULL DEFAULT 'active',
        cancellation_reason text,
        snapshot_time timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE passengers (
        booking_reference text NOT NULL REFERENCES bookings ON DELETE CASCADE,
        passenger_id text NOT NULL,
        title text,
        given_name text NOT NULL,
        surname text NOT NULL,
        locale text NOT NULL,
        ticket_number text,
        contacts jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (booking_reference, passenger_id)
      )`);
    await q.query(`
      CREATE TABLE consents (
        booking_reference text NOT NULL,
        passenger_id text NOT NULL,
        channel text NOT NULL,
        granted boolean NOT NULL,
        preference smallint NOT NULL,
        granted_at timestamptz,
        PRIMARY KEY (booking_reference, passenger_id, channel),
        FOREIGN KEY (booking_reference, passenger_id) REFERENCES passengers ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE segments (
        booking_reference text NOT NULL REFERENCES bookings ON DELETE CASCADE,
        segment_id text NOT NULL,
        position smallint NOT NULL,
        carrier text NOT NULL,
        flight_number text NOT NULL,
        departure_date date NOT NULL,
        origin text NOT NULL,
        destination text NOT NULL,
        scheduled_departure timestamptz NOT NULL,
        scheduled_arrival timestamptz NOT NULL,
        cabin text,
        PRIMARY KEY (booking_reference, segment_id)
      )`);
    await q.query(`CREATE INDEX segments_flight ON segments (carrier, flight_number, departure_date, origin)`);
    await q.query(`
      CREATE TABLE checkins (
        booking_reference text NOT NULL,
        passenger_id text NOT NULL,
        segment_id text NOT NULL,
        seat text NOT NULL,
        sequence_number integer NOT NULL,
        compartment text NOT NULL,
        boarding_group text,
        boarding_time timestamptz,
        gate text,
        checked_in_at timestamptz NOT NULL,
        PRIMARY KEY (booking_reference, passenger_id, segment_id),
        FOREIGN KEY (booking_reference, passenger_id) REFERENCES passengers ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE flight_status (
        carrier text NOT NULL,
        flight_number text NOT NULL,
        departure_date date NOT NULL,
        origin text NOT NULL,
        version integer NOT NULL,
        status text NOT NULL,
        snapshot jsonb NOT NULL,
        announced_departure timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (carrier, flight_number, departure_date, origin)
      )`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL UNIQUE,
        type text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        booking_reference text NOT NULL,
        passenger_id text NOT NULL,
        flight_key text,
        locale text NOT NULL,
        recipient text NOT NULL,
        context jsonb NOT NULL,
        content jsonb,
        event_source text NOT NULL,
        event_id text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        due_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        provider_message_id text,
        last_error_code text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The dispatcher's claim query walks only what is waiting.
    await q.query(`CREATE INDEX notifications_due ON notifications (due_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX notifications_sending ON notifications (claimed_until) WHERE status = 'sending'`);
    await q.query(`CREATE INDEX notifications_newest ON notifications (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notifications_booking ON notifications (booking_reference, passenger_id)`);
    await q.query(`CREATE INDEX notifications_flight ON notifications (flight_key) WHERE flight_key IS NOT NULL`);
    await q.query(`CREATE INDEX notifications_status ON notifications (status, created_at DESC)`);
    await q.query(`
      CREATE TABLE notification_events (
        id bigserial PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        kind text NOT NULL,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX notification_events_by_notification ON notification_events (notification_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'notification_events',
      'notifications',
      'flight_status',
      'checkins',
      'segments',
      'consents',
      'passengers',
      'bookings',
      'parked_events',
      'inbox_events',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
