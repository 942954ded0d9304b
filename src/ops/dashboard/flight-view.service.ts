import { Injectable, NotFoundException } from '@nestjs/common';
import { maskPersonalData, maskRecipient } from '../../common/mask';
import type { FlightViewDto } from './flight-view.responses';
import { FlightKeyParts, FlightViewRepository } from './flight-view.repository';

/** `KL1234-2026-12-01`: carrier (2), number (1-4 digits, optional suffix), departure date — the read API's flight key. */
export const FLIGHT_KEY_PATTERN = /^([A-Z0-9]{2})([0-9]{1,4}[A-Z]?)-(\d{4}-\d{2}-\d{2})$/;

export function parseFlightKey(key: string): FlightKeyParts {
  const match = FLIGHT_KEY_PATTERN.exec(key);
  if (!match) throw new Error(`not a flight key: ${key}`);
  return { key, carrier: match[1], flightNumber: match[2], departureDate: match[3] };
}

/** One flight for the dashboard: its latest status per leg, and who was told what about it. */
@Injectable()
export class FlightViewService {
  constructor(private readonly flights: FlightViewRepository) {}

  async view(key: string): Promise<FlightViewDto> {
    const flight = parseFlightKey(key);
    const [legs, counts, passengers, failed] = await Promise.all([
      this.flights.legs(flight),
      this.flights.counts(flight),
      this.flights.passengers(flight),
      this.flights.failed(flight),
    ]);
    // A flight the service has never heard of is a 404, so a mistyped number does not look like a quiet flight.
    if (legs.length === 0 && counts.length === 0) throw new NotFoundException(`flight ${key}: no flight status and no notifications`);
    const iso = (d: Date) => new Date(d).toISOString();
    return {
      flight: key,
      legs: legs.map((l) => ({
        origin: l.origin,
        destination: l.snapshot.destination,
        status: l.snapshot.status,
        scheduledDeparture: l.snapshot.scheduledDeparture,
        estimatedDeparture: l.snapshot.estimatedDeparture ?? null,
        estimatedArrival: l.snapshot.estimatedArrival ?? null,
        departureGate: l.snapshot.departureGate ?? null,
        departureTerminal: l.snapshot.departureTerminal ?? null,
        arrivalGate: l.snapshot.arrivalGate ?? null,
        baggageBelt: l.snapshot.baggageBelt ?? null,
        divertedTo: l.snapshot.divertedTo ?? null,
        reason: l.snapshot.reason ?? null,
        version: l.version,
        updatedAt: iso(l.updated_at),
      })),
      passengers,
      counts,
      failed: failed.map((n) => ({
        id: n.id,
        type: n.type,
        channel: n.channel,
        bookingReference: n.booking_reference,
        passengerId: n.passenger_id,
        maskedRecipient: maskRecipient(n.channel, n.recipient),
        errorCode: n.last_error_code,
        error: n.last_error === null ? null : maskPersonalData(n.last_error),
        failedAt: iso(n.updated_at),
      })),
      failedTotal: counts.filter((c) => c.status === 'failed').reduce((sum, c) => sum + c.count, 0),
    };
  }
}
