import type { DataSource } from 'typeorm';
import type { DeliveryChannel } from '../vocabulary/notification-types';

/** A notification the sandbox delivered, as the demo shows it. */
export interface DemoSent {
  id: string;
  type: string;
  channel: DeliveryChannel;
  recipient: string;
}

/** What `npm run demo` reads to tell its story: read-only, over the service's own connection. */
export class DemoRepository {
  constructor(private readonly db: DataSource) {}

  /** Who got what for these events, in the order it was planned. */
  async whoGotWhat(eventIds: string[]): Promise<Record<string, string>[]> {
    return this.db.query(
      `SELECT n.booking_reference AS "booking", p.given_name || ' ' || p.surname AS "passenger", n.type, n.channel,
              n.recipient, n.status, n.locale, coalesce(n.content->>'locale', '') AS "template"
         FROM notifications n
         LEFT JOIN passengers p ON p.booking_reference = n.booking_reference AND p.passenger_id = n.passenger_id
        WHERE n.event_id = ANY($1)
        ORDER BY n.created_at, n.booking_reference, n.passenger_id, n.channel`,
      [eventIds],
    );
  }

  /** The flight these events told most about. */
  async busiestFlight(eventIds: string[]): Promise<string | undefined> {
    const [flight] = (await this.db.query(
      `SELECT flight_key FROM notifications WHERE event_id = ANY($1) AND flight_key IS NOT NULL GROUP BY flight_key ORDER BY count(*) DESC, flight_key LIMIT 1`,
      [eventIds],
    )) as { flight_key: string }[];
    return flight?.flight_key;
  }

  /** True once the event is in the inbox or parked. */
  async applied(eventId: string): Promise<boolean> {
    const [{ n }]: { n: number }[] = await this.db.query(
      `SELECT (SELECT count(*) FROM inbox_events WHERE event_id = $1) + (SELECT count(*) FROM parked_events WHERE event_id = $1) AS n`,
      [eventId],
    );
    return Number(n) > 0;
  }

  /** The open parked rows of these bodies (by SHA-256). */
  async parkedRows(bodySha256: string[]): Promise<Record<string, string>[]> {
    return this.db.query(
      `SELECT reason_code AS "code", reason, coalesce(type, '?') AS type
         FROM parked_events WHERE body_sha256 = ANY($1) AND redriven_at IS NULL ORDER BY parked_at`,
      [bodySha256],
    );
  }

  /** Notifications still pending or being sent that are due within 30 s. */
  async busy(): Promise<number> {
    const [{ busy }]: { busy: number }[] = await this.db.query(
      `SELECT count(*)::int AS busy FROM notifications WHERE status IN ('pending', 'sending') AND due_at <= now() + interval '30 seconds'`,
    );
    return busy;
  }

  /** Delivered messages of these events, a flight delay and a short (not e-mail) channel first. */
  async deliveredSamples(eventIds: string[]): Promise<DemoSent[]> {
    return this.db.query(
      `SELECT id, type, channel, recipient FROM notifications
        WHERE event_id = ANY($1) AND status = 'delivered' AND channel <> 'webhook'
        ORDER BY (type = 'flight-delay') DESC, (channel = 'email'), created_at LIMIT 100`,
      [eventIds],
    );
  }

  /** Delivered boarding passes of these events. */
  async deliveredBoardingPasses(eventIds: string[]): Promise<DemoSent[]> {
    return this.db.query(
      `SELECT id, type, channel, recipient FROM notifications
        WHERE event_id = ANY($1) AND status = 'delivered' AND type = 'boarding-pass' ORDER BY created_at`,
      [eventIds],
    );
  }
}
