import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PassFacts } from '../../boarding-passes/apple-wallet/pass-facts';

export interface PassRecord {
  serialNumber: string;
  passTypeId: string;
  bookingReference: string;
  passengerId: string;
  flightKey: string;
  authenticationToken: string;
  facts: PassFacts;
  /** Whole seconds: what Last-Modified says. */
  updatedAt: Date;
  updateTag: string;
}

interface PassRow {
  serial_number: string;
  pass_type_id: string;
  booking_reference: string;
  passenger_id: string;
  flight_key: string;
  authentication_token: string;
  facts: PassFacts;
  updated_at: Date;
  update_tag: string;
}

export interface PassKey {
  passTypeId: string;
  bookingReference: string;
  passengerId: string;
  flightKey: string;
}

export interface ClaimedPush {
  passTypeId: string;
  pushToken: string;
  updateTag: string;
  /** Claims so far, this one included. */
  attempts: number;
}

const toRecord = (r: PassRow): PassRecord => ({
  serialNumber: r.serial_number,
  passTypeId: r.pass_type_id,
  bookingReference: r.booking_reference,
  passengerId: r.passenger_id,
  flightKey: r.flight_key,
  authenticationToken: r.authentication_token,
  facts: r.facts,
  updatedAt: r.updated_at,
  updateTag: r.update_tag,
});

/** A device's push answers are retried this long after a claim that did not finish (a replica died mid-send). */
const CLAIM_LEASE_SECONDS = 60;

/** apple_wallet_passes, apple_wallet_registrations and apple_wallet_pushes: every statement on them. */
@Injectable()
export class AppleWalletRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The pass of one passenger's leg, created with `facts` and `token` if there is none yet, locked. */
  async lockOrCreate(m: EntityManager, key: PassKey, facts: PassFacts, token: string): Promise<PassRecord> {
    await m.query(
      `INSERT INTO apple_wallet_passes (pass_type_id, booking_reference, passenger_id, flight_key, authentication_token, facts)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pass_type_id, booking_reference, passenger_id, flight_key) DO NOTHING`,
      [key.passTypeId, key.bookingReference, key.passengerId, key.flightKey, token, JSON.stringify(facts)],
    );
    const rows: PassRow[] = await m.query(
      `SELECT serial_number, pass_type_id, booking_reference, passenger_id, flight_key, authentication_token, facts, updated_at, update_tag::text AS update_tag FROM apple_wallet_passes
        WHERE pass_type_id = $1 AND booking_reference = $2 AND passenger_id = $3 AND flight_key = $4 FOR UPDATE`,
      [key.passTypeId, key.bookingReference, key.passengerId, key.flightKey],
    );
    return toRecord(rows[0]);
  }

  async find(passTypeId: string, serialNumber: string): Promise<PassRecord | undefined> {
    const rows: PassRow[] = await this.dataSource.query(`SELECT serial_number, pass_type_id, booking_reference, passenger_id, flight_key, authentication_token, facts, updated_at, update_tag::text AS update_tag FROM apple_wallet_passes WHERE pass_type_id = $1 AND serial_number = $2`, [passTypeId, serialNumber]);
    return rows[0] && toRecord(rows[0]);
  }

  /** One pass as this transaction sees it (after a re-issue in it). */
  async findIn(m: EntityManager, serialNumber: string): Promise<PassRecord> {
    const rows: PassRow[] = await m.query(`SELECT serial_number, pass_type_id, booking_reference, passenger_id, flight_key, authentication_token, facts, updated_at, update_tag::text AS update_tag FROM apple_wallet_passes WHERE serial_number = $1`, [serialNumber]);
    return toRecord(rows[0]);
  }

  async lockOnFlight(m: EntityManager, passTypeId: string, flightKey: string): Promise<PassRecord[]> {
    const rows: PassRow[] = await m.query(`SELECT serial_number, pass_type_id, booking_reference, passenger_id, flight_key, authentication_token, facts, updated_at, update_tag::text AS update_tag FROM apple_wallet_passes WHERE pass_type_id = $1 AND flight_key = $2 ORDER BY serial_number FOR UPDATE`, [
      passTypeId,
      flightKey,
    ]);
    return rows.map(toRecord);
  }

  /**
   * Re-issues a pass with new facts: a new update tag, and a Last-Modified at least a second after the previous
   * one (HTTP dates have whole seconds: two updates within a second must still look different to If-Modified-Since).
   * Every device holding the pass gets a push queued, in the same transaction.
   */
  /** "booking/passenger" of the flight's passes that at least one device has registered (Wallet updates them itself). */
  async registeredOnFlight(m: EntityManager, passTypeId: string, flightKey: string): Promise<string[]> {
    const rows: { booking_reference: string; passenger_id: string }[] = await m.query(
      `SELECT p.booking_reference, p.passenger_id FROM apple_wallet_passes p
        WHERE p.pass_type_id = $1 AND p.flight_key = $2
          AND EXISTS (SELECT 1 FROM apple_wallet_registrations r WHERE r.pass_type_id = p.pass_type_id AND r.serial_number = p.serial_number)`,
      [passTypeId, flightKey],
    );
    return rows.map((r) => `${r.booking_reference}/${r.passenger_id}`);
  }

  async reissue(m: EntityManager, serialNumber: string, facts: PassFacts): Promise<void> {
    const rows: { pass_type_id: string; update_tag: string }[] = await m.query(
      // A SELECT over the update: TypeORM answers a bare UPDATE … RETURNING with [rows, count], not the rows.
      `WITH u AS (
         UPDATE apple_wallet_passes
            SET facts = $2, update_tag = nextval('apple_wallet_update_tags'),
                updated_at = greatest(date_trunc('second', now()), updated_at + interval '1 second')
          WHERE serial_number = $1 RETURNING pass_type_id, update_tag)
       SELECT pass_type_id, update_tag::text AS update_tag FROM u`,
      [serialNumber, JSON.stringify(facts)],
    );
    if (!rows[0]) return;
    // One push per device whatever number of its passes changed: Wallet then asks for every serial updated since
    // its last tag. A push still waiting for the device simply carries the newer tag.
    await m.query(
      `INSERT INTO apple_wallet_pushes (pass_type_id, push_token, update_tag)
       SELECT DISTINCT pass_type_id, push_token, $2::bigint FROM apple_wallet_registrations WHERE serial_number = $1
       ON CONFLICT (pass_type_id, push_token) DO UPDATE SET update_tag = greatest(apple_wallet_pushes.update_tag, excluded.update_tag), due_at = now(), attempts = 0`,
      [serialNumber, rows[0].update_tag],
    );
  }

  /** Registers a device for a pass (or updates its push token): true when the registration is new. */
  async register(deviceLibraryId: string, passTypeId: string, serialNumber: string, pushToken: string): Promise<boolean> {
    const rows: { created: boolean }[] = await this.dataSource.query(
      `INSERT INTO apple_wallet_registrations (device_library_id, pass_type_id, serial_number, push_token) VALUES ($1, $2, $3, $4)
       ON CONFLICT (device_library_id, pass_type_id, serial_number) DO UPDATE SET push_token = excluded.push_token, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [deviceLibraryId, passTypeId, serialNumber, pushToken],
    );
    return rows[0].created;
  }

  async unregister(deviceLibraryId: string, passTypeId: string, serialNumber: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH d AS (DELETE FROM apple_wallet_registrations WHERE device_library_id = $1 AND pass_type_id = $2 AND serial_number = $3 RETURNING 1) SELECT 1 FROM d`,
      [deviceLibraryId, passTypeId, serialNumber],
    );
    return rows.length > 0;
  }

  /** The serial numbers a device holds that changed after `sinceTag` (all of them without a tag), and the newest tag. */
  async updatedSince(deviceLibraryId: string, passTypeId: string, sinceTag: string | undefined): Promise<{ serialNumbers: string[]; lastUpdated: string | undefined }> {
    const rows: { serial_number: string; update_tag: string }[] = await this.dataSource.query(
      `SELECT p.serial_number, p.update_tag::text AS update_tag FROM apple_wallet_registrations r
         JOIN apple_wallet_passes p ON p.serial_number = r.serial_number
        WHERE r.device_library_id = $1 AND r.pass_type_id = $2 AND ($3::bigint IS NULL OR p.update_tag > $3::bigint)
        ORDER BY p.update_tag`,
      [deviceLibraryId, passTypeId, sinceTag ?? null],
    );
    return { serialNumbers: rows.map((r) => r.serial_number), lastUpdated: rows.at(-1)?.update_tag };
  }

  /**
   * Claims due pushes for this replica: each row is leased (due again only after the lease) by one UPDATE that
   * skips rows another replica is claiming, so two replicas never send the same push.
   */
  async claimPushes(limit: number): Promise<ClaimedPush[]> {
    const rows: { pass_type_id: string; push_token: string; update_tag: string; attempts: number }[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE apple_wallet_pushes w SET due_at = now() + make_interval(secs => $2), attempts = w.attempts + 1
          WHERE (w.pass_type_id, w.push_token) IN (
            SELECT pass_type_id, push_token FROM apple_wallet_pushes WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING w.pass_type_id, w.push_token, w.update_tag, w.attempts)
       SELECT pass_type_id, push_token, update_tag::text AS update_tag, attempts FROM claimed`,
      [limit, CLAIM_LEASE_SECONDS],
    );
    return rows.map((r) => ({ passTypeId: r.pass_type_id, pushToken: r.push_token, updateTag: r.update_tag, attempts: r.attempts }));
  }

  /** Sent: done, unless a newer update was queued for the device meanwhile (then that one goes too). */
  async pushed(p: ClaimedPush): Promise<void> {
    await this.dataSource.query(`DELETE FROM apple_wallet_pushes WHERE pass_type_id = $1 AND push_token = $2 AND update_tag = $3::bigint`, [p.passTypeId, p.pushToken, p.updateTag]);
  }

  async retryLater(p: ClaimedPush, afterMs: number): Promise<void> {
    await this.dataSource.query(`UPDATE apple_wallet_pushes SET due_at = now() + make_interval(secs => $3) WHERE pass_type_id = $1 AND push_token = $2`, [
      p.passTypeId,
      p.pushToken,
      afterMs / 1000,
    ]);
  }

  /** APNs says the token is dead: the device's registrations and its queued push go. */
  async forgetPushToken(p: ClaimedPush): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM apple_wallet_registrations WHERE pass_type_id = $1 AND push_token = $2`, [p.passTypeId, p.pushToken]);
      await m.query(`DELETE FROM apple_wallet_pushes WHERE pass_type_id = $1 AND push_token = $2`, [p.passTypeId, p.pushToken]);
    });
  }

  /** A push that will never go (refused payload, too many attempts). */
  async dropPush(p: ClaimedPush): Promise<void> {
    await this.dataSource.query(`DELETE FROM apple_wallet_pushes WHERE pass_type_id = $1 AND push_token = $2`, [p.passTypeId, p.pushToken]);
  }
}
