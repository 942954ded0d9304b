import type { BoardingPassData } from '../boarding-passes/bcbp-types';
import type { RenderContext } from '../vocabulary/render-context';

/** The bar code's data, from the facts captured when the passenger checked in. */
export function passData(c: RenderContext): BoardingPassData {
  const flight = c.flight!;
  const checkin = c.checkin!;
  const issued = (checkin.checkedInAt ?? flight.scheduledDeparture).slice(0, 10);
  return {
    passenger: { surname: c.passenger.surname, givenName: c.passenger.givenName, title: c.passenger.title },
    eTicket: Boolean(c.passenger.ticketNumber),
    legs: [
      {
        pnr: c.booking.reference,
        from: flight.origin,
        to: flight.destination,
        carrier: flight.carrier,
        flightNumber: flight.flightNumber,
        flightDate: flight.departureDate,
        compartment: checkin.compartment,
        seat: checkin.seat,
        sequenceNumber: checkin.sequenceNumber,
        ticketNumber: c.passenger.ticketNumber,
      },
    ],
    issuance: { date: issued, checkInSource: 'W', issuer: flight.carrier },
  };
}
