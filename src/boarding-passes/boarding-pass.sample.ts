import type { BoardingPassData } from './bcbp-types';
import type { BoardingPassView } from './boarding-pass-view';

/**
 * A realistic one-leg pass (accented name, time zones, every optional field), shared by the
 * benchmark and the specs so both exercise the same shape the pipeline will send.
 */
export function sampleBoardingPassData(overrides: Partial<BoardingPassData> = {}): BoardingPassData {
  return {
    passenger: { surname: 'Müller-Lüdenscheidt', givenName: 'Zoë', title: 'Ms' },
    eTicket: true,
    legs: [
      {
        pnr: 'ABC123',
        from: 'AMS',
        to: 'CDG',
        carrier: 'KL',
        flightNumber: '1234',
        flightDate: '2026-03-14',
        compartment: 'Y',
        seat: '12A',
        sequenceNumber: 25,
        ticketNumber: '0742497067621',
        frequentFlyer: { airline: 'KL', number: '1234567890' },
        freeBaggageAllowance: '23K',
      },
    ],
    issuance: { date: '2026-03-13', checkInSource: 'W', issuer: 'KL' },
    ...overrides,
  };
}

export function sampleBoardingPassView(overrides: Partial<BoardingPassView['pages'][number]> = {}): BoardingPassView {
  return {
    issuedAt: '2026-03-13',
    pages: [
      {
        airlineName: 'KLM Royal Dutch Airlines',
        passengerName: 'Zoë Müller-Lüdenscheidt',
        flightCode: 'KL 1234',
        origin: { code: 'AMS', city: 'Amsterdam' },
        destination: { code: 'CDG', city: 'Paris Charles de Gaulle' },
        departureTime: '2026-03-14T06:25:00Z',
        arrivalTime: '2026-03-14T07:40:00Z',
        boardingTime: '2026-03-14T05:50:00Z',
        originTimeZone: 'Europe/Amsterdam',
        destinationTimeZone: 'Europe/Paris',
        gate: 'D7',
        terminal: '2',
        boardingGroup: '3',
        seat: '12A',
        sequenceNumber: 25,
        cabin: 'Economy',
        bookingReference: 'ABC123',
        frequentFlyer: 'KL 1234567890',
        ...overrides,
      },
    ],
  };
}
