import type { RenderContext } from '../../vocabulary/render-context';

/**
 * What an Apple Wallet boarding pass shows: the boarding-pass notification's facts (passenger, booking, the
 * leg and the check-in), kept current by flight changes. Stored as the pass's content snapshot.
 */
export type PassFacts = Required<Pick<RenderContext, 'passenger' | 'booking' | 'flight' | 'checkin'>> & { locale: string };

/** The facts of a boarding-pass context, or undefined when it is not one (no flight or no check-in). */
export function passFactsOf(c: RenderContext): PassFacts | undefined {
  if (!c.flight || !c.checkin) return undefined;
  return { locale: c.locale, passenger: c.passenger, booking: c.booking, flight: c.flight, checkin: c.checkin };
}

/** The fields a passenger sees change on the pass: a change of any of them re-issues it (and tells the devices). */
export function passVisibleFacts(f: PassFacts): unknown[] {
  return [
    f.checkin.gate ?? f.flight.departureGate ?? null,
    f.flight.departureTerminal ?? null,
    f.checkin.boardingTime ?? null,
    f.flight.estimatedDeparture ?? f.flight.scheduledDeparture,
    f.checkin.seat,
    f.checkin.boardingGroup ?? null,
    f.flight.status === 'CANCELLED',
  ];
}
