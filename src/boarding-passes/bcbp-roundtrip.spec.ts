import { dayOfYear } from './bcbp-dates';
import { decodeBcbp } from './bcbp-decoder';
import { encodeBcbp } from './bcbp-encoder';
import { formatBcbpName } from './bcbp-name';
import type { BoardingPassData, BoardingPassLeg } from './bcbp-types';

/** Small deterministic PRNG (mulberry32): the same "random" cases on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['O', 'Lund', 'Müller', 'García Márquez', 'Wolfeschlegelsteinhausenberger', "O'Neil", 'Nguyễn', 'Øster-Ås'];
const GIVEN = ['A', 'Zoë', 'Jean-Pierre', 'Konstantinos Alexandros', 'Łucja', ''];
const AIRPORTS = ['AMS', 'CDG', 'JFK', 'NRT', 'GRU', 'SYD', 'LHR', 'DXB'];
const CARRIERS = ['KL', 'AF', 'U2', '9W', 'DLH'];
const LETTERS = 'ABCDEFGHJK';

function randomCase(random: () => number): BoardingPassData {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const date = (): string => {
    const d = new Date(Date.UTC(int(2026, 2030), 0, 1) + int(0, 365) * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  const legs: BoardingPassLeg[] = Array.from({ length: int(1, 4) }, () => ({
    pnr: Array.from({ length: int(5, 7) }, () => pick([...'ABCDEFXYZ0123456789'])).join(''),
    from: pick(AIRPORTS),
    to: pick(AIRPORTS),
    carrier: pick(CARRIERS),
    flightNumber: `${int(1, 9999)}${random() < 0.2 ? pick([...LETTERS]) : ''}`,
    flightDate: date(),
    compartment: pick(['F', 'J', 'W', 'Y']),
    seat: `${int(1, 999)}${pick([...LETTERS])}`,
    sequenceNumber: int(1, 9999),
    passengerStatus: random() < 0.5 ? undefined : pick(['0', '1', '3']),
    marketingCarrier: random() < 0.3 ? pick(CARRIERS) : undefined,
    ticketNumber: random() < 0.7 ? String(int(1e12, 9.99e12)).padStart(13, '0') : undefined,
    frequentFlyer: random() < 0.5 ? { airline: pick(CARRIERS), number: String(int(1, 1e9)) } : undefined,
    freeBaggageAllowance: random() < 0.5 ? pick(['20K', '1PC', '2PC']) : undefined,
    fastTrack: random() < 0.5 ? random() < 0.5 : undefined,
    airlineUse: random() < 0.3 ? `*${int(0, 99999)}` : undefined,
  }));
  return {
    passenger: { surname: pick(SURNAMES), givenName: pick(GIVEN), title: random() < 0.3 ? pick(['Mr', 'Mrs', 'Dr']) : undefined },
    eTicket: random() < 0.9,
    legs,
    issuance: { date: date(), checkInSource: pick(['W', 'K', 'M', 'O']), issuer: pick(CARRIERS) },
    passengerDescription: random() < 0.5 ? undefined : pick(['0', '1', '2', '3']),
  };
}

describe('encode → decode round trips', () => {
  const random = prng(792);
  const cases = Array.from({ length: 300 }, () => randomCase(random));

  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_i, data) => {
    const bcbp = encodeBcbp(data);
    const d = decodeBcbp(bcbp);

    expect(d.passengerName).toBe(formatBcbpName(data.passenger));
    expect(d.passengerName.length).toBeLessThanOrEqual(20);
    expect(d.electronicTicketIndicator).toBe(data.eTicket ? 'E' : '');
    expect(d.version).toBe(8);
    expect(d.passengerDescription).toBe(data.passengerDescription ?? '0');
    expect(d.sourceOfCheckIn).toBe(data.issuance.checkInSource);
    expect(d.sourceOfIssuance).toBe('W');
    expect(d.dateOfIssue).toBe(data.issuance.date[3] + String(dayOfYear(data.issuance.date, '')).padStart(3, '0'));
    expect(d.documentType).toBe('B');
    expect(d.issuer).toBe(data.issuance.issuer);
    expect(d.legs).toHaveLength(data.legs.length);

    data.legs.forEach((leg, i) => {
      const got = d.legs[i];
      const [, digits, suffix] = /^(\d+)([A-Z]?)$/.exec(leg.flightNumber) ?? [];
      const [, row, letter] = /^(\d+)([A-Z])$/.exec(leg.seat) ?? [];
      expect(got).toEqual({
        pnr: leg.pnr,
        from: leg.from,
        to: leg.to,
        carrier: leg.carrier,
        flightNumber: digits.padStart(4, '0') + suffix,
        dayOfYear: dayOfYear(leg.flightDate, ''),
        compartment: leg.compartment,
        seat: row.padStart(3, '0') + letter,
        sequenceNumber: String(leg.sequenceNumber).padStart(4, '0'),
        passengerStatus: leg.passengerStatus ?? '1',
        airlineNumericCode: leg.ticketNumber?.slice(0, 3) ?? '',
        documentSerialNumber: leg.ticketNumber?.slice(3) ?? '',
        selectee: '',
        documentVerification: '',
        marketingCarrier: leg.marketingCarrier ?? leg.carrier,
        frequentFlyerAirline: leg.frequentFlyer?.airline ?? '',
        frequentFlyerNumber: leg.frequentFlyer?.number ?? '',
        idAdIndicator: '',
        freeBaggageAllowance: leg.freeBaggageAllowance ?? '',
        fastTrack: leg.fastTrack === undefined ? '' : leg.fastTrack ? 'Y' : 'N',
        airlineUse: leg.airlineUse,
      });
    });
  });

  it('keeps baggage tags', () => {
    const data = randomCase(prng(1));
    const tags = ['0074123456003', '0074999888001', '0074555444002'];
    expect(decodeBcbp(encodeBcbp({ ...data, baggageTags: tags })).baggageTags).toEqual(tags);
    expect(decodeBcbp(encodeBcbp({ ...data, baggageTags: [] })).baggageTags).toEqual(['']);
  });
});
