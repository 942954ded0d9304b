import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { flightKey, type FlightIdentity } from '../vocabulary/booking-records';
import type { FlightStatusData } from '../events/event-types';

export interface FlightStatusRecord {
  version: number;
  snapshot: FlightStatusData;
  announcedDeparture?: string;
}

/** The last applied operational snapshot of each flight. */
@Injectable()
export class FlightStatusRepository {
  /** Per transaction of an ingest batch: what find read, by flight, until this repository writes that flight. */
  private readonly remembered = new WeakMap<EntityManager, Map<string, FlightStatusRecord | undefined>>();

  /**
   * From now until `m`'s transaction ends, a plain find of a flight read before answers from memory until this
   * repository locks or writes that flight in `m`: a batch's check-ins are mostly of a few flights (one
   * statement each instead of one per check-in, docs/decisions/0046), and a flight event later in the batch
   * is read afresh, as if it came alone.
   */
  rememberWithin(m: EntityManager): void {
    this.remembered.set(m, new Map());
  }

  async find(m: EntityManager, f: FlightIdentity, forUpdate = false): Promise<FlightStatusRecord | undefined> {
    const remembered = this.remembered.get(m);
    const key = rememberedAs(f);
    if (forUpdate) remembered?.delete(key);
    else if (remembered?.has(key)) return remembered.get(key);
    const found = await this.read(m, f, forUpdate);
    if (!forUpdate) remembered?.set(key, found);
    return found;
  }

  private async read(m: EntityManager, f: FlightIdentity, forUpdate: boolean): Promise<FlightStatusRecord | undefined> {
    const rows: { version: number; snapshot: FlightStatusData; announced_departure: Date | null }[] = await m.query(
      `SELECT version, snapshot, announced_departure FROM flight_status
        WHERE carrier = $1 AND flight_number = $2 AND departure_date = $3 AND origin = $4 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [f.carrier, f.flightNumber, f.departureDate, f.origin],
    );
    const row = rows[0];
    return (
      row && {
        version: row.version,
        snapshot: row.snapshot,
        announcedDeparture: row.announced_departure ? row.announced_departure.toISOString() : undefined,
      }
    );
  }

  /**
   * Serialises concurrent snapshots of one flight: the first writer creates the row, everybody then
   * locks it, so version comparison and the update happen as one step.
   */
  async lockOrCreate(m: EntityManager, data: FlightStatusData): Promise<FlightStatusRecord | undefined> {
    await m.query(
      `INSERT INTO flight_status (carrier, flight_number, departure_date, origin, version, status, snapshot)
       VALUES ($1, $2, $3, $4, 0, 'UNKNOWN', '{}') ON CONFLICT DO NOTHING`,
      [data.carrier, data.flightNumber, data.departureDate, data.origin],
    );
    const found = await this.find(m, data, true);
    return found && found.version > 0 ? found : undefined;
  }

  /** The delay code and the reason's language also get columns of their own, for operators' queries. */
  async save(m: EntityManager, data: FlightStatusData, announcedDeparture: string): Promise<void> {
    this.remembered.get(m)?.delete(rememberedAs(data));
    await m.query(
      `UPDATE flight_status SET version = $5, status = $6, snapshot = $7, announced_departure = $8,
              delay_code = $9, reason_language = $10, updated_at = now()
        WHERE carrier = $1 AND flight_number = $2 AND departure_date = $3 AND origin = $4`,
      [
        data.carrier,
        data.flightNumber,
        data.departureDate,
        data.origin,
        data.version,
        data.status,
        JSON.stringify(data),
        announcedDeparture,
        data.delayCode ?? null,
        data.reasonLanguage ?? null,
      ],
    );
  }
}

function rememberedAs(f: FlightIdentity): string {
  return `${flightKey(f)} ${f.origin}`;
}
