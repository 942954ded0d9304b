import type { BoardingPassData } from './bcbp-types';
import type { BoardingPassView } from './boarding-pass-view';

/** Issue 16: the catalog locales a passenger can be served in (pt-PT holds only what differs from pt). */
export const PASS_LOCALES = ['en', 'nl', 'de', 'fr', 'es', 'it', 'pt', 'pt-PT', 'ja', 'zh-Hans', 'ko', 'ar'] as const;

/** Passenger names as booked in the scripts a pass must print, diacritics and all. */
export const SAMPLE_NAMES = {
  latin: 'Zoë Müller-Łukasiewicz Ørsted Çelik Nguyễn',
  japanese: '山田 花子',
  japaneseKana: 'サトウ ユキ',
  chinese: '王晓明',
  korean: '김민지',
  arabic: 'محمد عبد الله الشهري',
} as const;

/** The name each locale's own passengers are likely to carry, for per-locale renders. */
export const NAME_BY_LOCALE: Readonly<Record<string, string>> = {
  ja: SAMPLE_NAMES.japanese,
  'zh-Hans': SAMPLE_NAMES.chinese,
  ko: SAMPLE_NAMES.korean,
  ar: SAMPLE_NAMES.arabic,
};

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
