import type { SegmentView } from './render-context';
import type { SegmentRecord } from './booking-records';

/** A stored segment as templates show it: the booking handler writes it, a replay refreshes it. */
export function toSegmentView(s: SegmentRecord): SegmentView {
  return {
    code: `${s.carrier}${s.flightNumber}`,
    origin: s.origin,
    destination: s.destination,
    departureDate: s.departureDate,
    scheduledDeparture: s.scheduledDeparture,
    scheduledArrival: s.scheduledArrival,
    ...(s.cabin ? { cabin: s.cabin } : {}),
  };
}
