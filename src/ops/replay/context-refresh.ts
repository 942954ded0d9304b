import type { PassengerRecord, SegmentRecord } from '../../vocabulary/booking-records';
import { toSegmentView } from '../../vocabulary/segment-view';
import type { FlightStatusData } from '../../events/event-types';
import { toFlightView } from '../../flights/flight-change-detector';
import type { RenderContext } from '../../vocabulary/render-context';

export interface CurrentFacts {
  passenger: PassengerRecord;
  flight?: FlightStatusData;
  segments?: SegmentRecord[];
  checkin?: { seat: string; sequence_number: number; compartment: string; boarding_group: string | null; boarding_time: Date | null; gate: string | null };
}

/**
 * A replayed message tells today's truth: the passenger's current name and language, the flight's
 * latest snapshot (a changed gate shows the new gate), the current itinerary and seat. What made the
 * news (a delay's size, the previous gate) stays as it was when the news happened.
 */
export function refreshContext(context: RenderContext, facts: CurrentFacts): RenderContext {
  const p = facts.passenger;
  const refreshed: RenderContext = {
    ...context,
    locale: p.locale,
    passenger: { ...context.passenger, givenName: p.givenName, surname: p.surname, ...(p.title ? { title: p.title } : {}) },
  };
  if (context.flight && facts.flight) {
    // The reason (text, its language, the delay code) explains the news as it happened: it stays from the context.
    const { version: _version, reason: _reason, reasonLanguage: _language, delayCode: _code, ...snapshot } = facts.flight;
    refreshed.flight = toFlightView(context.flight, { ...context.flight, ...snapshot });
  }
  if (context.segments && facts.segments?.length) refreshed.segments = facts.segments.map(toSegmentView);
  if (context.checkin && facts.checkin) {
    const c = facts.checkin;
    refreshed.checkin = {
      ...context.checkin,
      seat: c.seat,
      sequenceNumber: c.sequence_number,
      compartment: c.compartment,
      ...(c.boarding_group ? { boardingGroup: c.boarding_group } : {}),
      ...(c.boarding_time ? { boardingTime: c.boarding_time.toISOString() } : {}),
      ...(c.gate ? { gate: c.gate } : {}),
    };
  }
  return refreshed;
}
