import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { FlightStatusData } from '../../events/event-types';
import type { FlightIdentity } from '../../vocabulary/booking-records';

/** A due PATCH, claimed by this replica until its lease ends. */
export type ClaimedPatch =
  | { kind: 'flightClass'; resourceId: string; attempts: number; version: number; snapshot: FlightStatusData }
  | { kind: 'flightObject'; resourceId: string; attempts: number; pending: Record<string, unknown> };

export type PatchOutcome =
  /** Google has the facts (2xx), or will never take them and retrying cannot help (404, other 4xx): recorded, not retried. */
  | { kind: 'done'; status: number; error?: string }
  /** 429, 5xx, no answer: asked again after `delayMs`. */
  | { kind: 'retry'; status?: number; error: string; delayMs: number };

const identity = (f: FlightIdentity) => [f.carrier, f.flightNumber, f.departureDate, f.origin];

/** `google_wallet_resources`: the classes and objects issued in save links, and the queue of their PATCHes. */
@Injectable()
export class GoogleWalletRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The flight's last applied snapshot, to issue a pass with today's gate rather than the one at check-in. */
  async flightStatus(f: FlightIdentity): Promise<{ version: number; snapshot: FlightStatusData } | undefined> {
    const rows: { version: number; snapshot: FlightStatusData }[] = await this.dataSource.query(
      `SELECT version, snapshot FROM flight_status WHERE carrier = $1 AND flight_number = $2 AND departure_date = $3 AND origin = $4 AND version > 0`,
      identity(f),
    );
    return rows[0];
  }

  /**
   * Records a class a link was made for, as showing flight version `version`. An existing row keeps its
   * version: a PATCH it still owes goes out anyway and brings older saved passes up to date.
   */
  async issuedClass(resourceId: string, f: FlightIdentity, version: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO google_wallet_resources (resource_id, kind, carrier, flight_number, departure_date, origin, synced_version)
       VALUES ($1, 'flightClass', $2, $3, $4, $5, $6) ON CONFLICT (resource_id) DO NOTHING`,
      [resourceId, ...identity(f), version],
    );
  }

  /**
   * Records an object a link was made for. When it existed with other facts (a new seat after a new check-in),
   * the new facts wait in `pending` for a PATCH, since a passenger may have saved the old pass.
   */
  async issuedObject(resourceId: string, f: FlightIdentity, bookingReference: string, facts: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO google_wallet_resources (resource_id, kind, carrier, flight_number, departure_date, origin, booking_reference, facts)
       VALUES ($1, 'flightObject', $2, $3, $4, $5, $6, $7)
       ON CONFLICT (resource_id) DO UPDATE
         SET pending = excluded.facts, attempts = 0, next_attempt_at = now()
       WHERE google_wallet_resources.facts IS DISTINCT FROM excluded.facts
         AND google_wallet_resources.pending IS DISTINCT FROM excluded.facts`,
      [resourceId, ...identity(f), bookingReference, JSON.stringify(facts)],
    );
  }

  /**
   * Of these object ids, those Google is known to hold: their last PATCH answered 2xx. Google creates an object only
   * when the passenger saves the link (0032), so a 2xx means the pass is saved and receives our PATCHes.
   */
  async savedObjects(m: EntityManager, resourceIds: readonly string[]): Promise<string[]> {
    if (resourceIds.length === 0) return [];
    const rows: { resource_id: string }[] = await m.query(
      `SELECT resource_id FROM google_wallet_resources WHERE resource_id = ANY($1::text[]) AND kind = 'flightObject' AND last_status BETWEEN 200 AND 299`,
      [resourceIds],
    );
    return rows.map((r) => r.resource_id);
  }

  /**
   * Claims up to `limit` due PATCHes for `leaseSeconds`: classes whose flight changed since Google was last
   * told, objects with pending facts. SKIP LOCKED and the lease keep two replicas from sending one change twice.
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<ClaimedPatch[]> {
    const rows: { resource_id: string; kind: 'flightClass' | 'flightObject'; attempts: number; pending: Record<string, unknown> | null; version: number | null; snapshot: FlightStatusData | null }[] =
      await this.dataSource.query(
        `WITH due AS (
           SELECT r.resource_id, f.version, f.snapshot
             FROM google_wallet_resources r
             LEFT JOIN flight_status f
               ON r.kind = 'flightClass' AND f.carrier = r.carrier AND f.flight_number = r.flight_number
              AND f.departure_date = r.departure_date AND f.origin = r.origin
            WHERE r.next_attempt_at <= now() AND (r.claimed_until IS NULL OR r.claimed_until < now())
              AND ((r.kind = 'flightClass' AND f.version > r.synced_version) OR (r.kind = 'flightObject' AND r.pending IS NOT NULL))
            ORDER BY r.next_attempt_at
            LIMIT $1
            FOR UPDATE OF r SKIP LOCKED),
         claimed AS (
           UPDATE google_wallet_resources r SET claimed_until = now() + make_interval(secs => $2)
             FROM due WHERE r.resource_id = due.resource_id
           RETURNING r.resource_id, r.kind, r.attempts, r.pending, due.version, due.snapshot)
         SELECT * FROM claimed`,
        [limit, leaseSeconds],
      );
    return rows.map((r) =>
      r.kind === 'flightClass'
        ? { kind: 'flightClass', resourceId: r.resource_id, attempts: r.attempts, version: r.version!, snapshot: r.snapshot! }
        : { kind: 'flightObject', resourceId: r.resource_id, attempts: r.attempts, pending: r.pending! },
    );
  }

  /** The answer to a claimed PATCH: the class now shows `version`, the object the facts sent; or a later try. */
  async finish(patch: ClaimedPatch, outcome: PatchOutcome): Promise<void> {
    if (outcome.kind === 'retry') {
      await this.dataSource.query(
        `UPDATE google_wallet_resources SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2),
                claimed_until = NULL, last_status = $3, last_error = $4
          WHERE resource_id = $1`,
        [patch.resourceId, outcome.delayMs / 1000, outcome.status ?? null, outcome.error.slice(0, 500)],
      );
      return;
    }
    const recorded = [outcome.status, outcome.error?.slice(0, 500) ?? null];
    if (patch.kind === 'flightClass') {
      await this.dataSource.query(
        `UPDATE google_wallet_resources SET synced_version = GREATEST(synced_version, $2), attempts = 0, claimed_until = NULL,
                last_status = $3, last_error = $4, patched_at = now()
          WHERE resource_id = $1`,
        [patch.resourceId, patch.version, ...recorded],
      );
      return;
    }
    // Facts that arrived while this PATCH was under way stay pending for the next one.
    await this.dataSource.query(
      `UPDATE google_wallet_resources SET facts = $2, pending = CASE WHEN pending = $2 THEN NULL ELSE pending END,
              attempts = 0, claimed_until = NULL, last_status = $3, last_error = $4, patched_at = now()
        WHERE resource_id = $1`,
      [patch.resourceId, JSON.stringify(patch.pending), ...recorded],
    );
  }
}
