import { encodeBcbp } from './bcbp-encoder';
import { BcbpInputError } from './bcbp-errors';
import type { BoardingPassData, BoardingPassLeg } from './bcbp-types';

const leg = (overrides: Partial<BoardingPassLeg> = {}): BoardingPassLeg => ({
  pnr: 'ABC123',
  from: 'YUL',
  to: 'FRA',
  carrier: 'AC',
  flightNumber: '834',
  flightDate: '2026-11-22',
  compartment: 'J',
  seat: '1A',
  sequenceNumber: 25,
  ticketNumber: '0142123456789',
  frequentFlyer: { airline: 'AC', number: '123456789' },
  ...overrides,
});

const data = (overrides: Partial<BoardingPassData> = {}): BoardingPassData => ({
  passenger: { surname: 'Desmarais', givenName: 'Luc' },
  eTicket: true,
  legs: [leg()],
  issuance: { date: '2026-11-21', checkInSource: 'W', issuer: 'AC' },
  ...overrides,
});

/** [start, end) slices, written out by hand from Resolution 792 rather than from bcbp-layout.ts. */
const at = (s: string, start: number, length: number): string => s.slice(start, start + length);

describe('encodeBcbp: layout, item by item', () => {
  const bcbp = encodeBcbp(data());

  it('writes the mandatory unique items', () => {
    expect(at(bcbp, 0, 1)).toBe('M'); // format code
    expect(at(bcbp, 1, 1)).toBe('1'); // number of legs encoded
    expect(at(bcbp, 2, 20)).toBe('DESMARAIS/LUC       '); // passenger name
    expect(at(bcbp, 22, 1)).toBe('E'); // electronic ticket indicator
  });

  it('writes the mandatory repeated items of the leg', () => {
    expect(at(bcbp, 23, 7)).toBe('ABC123 '); // operating carrier PNR code
    expect(at(bcbp, 30, 3)).toBe('YUL'); // from city airport code
    expect(at(bcbp, 33, 3)).toBe('FRA'); // to city airport code
    expect(at(bcbp, 36, 3)).toBe('AC '); // operating carrier designator
    expect(at(bcbp, 39, 5)).toBe('0834 '); // flight number
    expect(at(bcbp, 44, 3)).toBe('326'); // date of flight, 22 November 2026
    expect(at(bcbp, 47, 1)).toBe('J'); // compartment code
    expect(at(bcbp, 48, 4)).toBe('001A'); // seat number
    expect(at(bcbp, 52, 5)).toBe('0025 '); // check-in sequence number
    expect(at(bcbp, 57, 1)).toBe('1'); // passenger status: checked in
    expect(at(bcbp, 58, 2)).toBe('48'); // variable size field: 72 characters follow
    expect(bcbp.length - 60).toBe(0x48);
  });

  it('writes the version 8 conditional unique items', () => {
    expect(at(bcbp, 60, 1)).toBe('>'); // beginning of version number
    expect(at(bcbp, 61, 1)).toBe('8'); // version number
    expect(at(bcbp, 62, 2)).toBe('18'); // unique section: 24 characters follow
    expect(at(bcbp, 64, 1)).toBe('0'); // passenger description: adult
    expect(at(bcbp, 65, 1)).toBe('W'); // source of check-in
    expect(at(bcbp, 66, 1)).toBe('W'); // source of boarding pass issuance
    expect(at(bcbp, 67, 4)).toBe('6325'); // date of issue: 2026, day 325
    expect(at(bcbp, 71, 1)).toBe('B'); // document type: boarding pass
    expect(at(bcbp, 72, 3)).toBe('AC '); // airline designator of issuer
    expect(at(bcbp, 75, 13)).toBe(' '.repeat(13)); // baggage tag licence plate numbers (none)
  });

  it('writes the conditional repeated items of the leg', () => {
    expect(at(bcbp, 88, 2)).toBe('2A'); // repeated section: 42 characters follow
    expect(at(bcbp, 90, 3)).toBe('014'); // airline numeric code
    expect(at(bcbp, 93, 10)).toBe('2123456789'); // document form/serial number
    expect(at(bcbp, 103, 1)).toBe(' '); // selectee indicator
    expect(at(bcbp, 104, 1)).toBe(' '); // international documentation verification
    expect(at(bcbp, 105, 3)).toBe('AC '); // marketing carrier (defaults to operating)
    expect(at(bcbp, 108, 3)).toBe('AC '); // frequent flyer airline designator
    expect(at(bcbp, 111, 16)).toBe('123456789       '); // frequent flyer number
    expect(at(bcbp, 127, 1)).toBe(' '); // ID/AD indicator
    expect(at(bcbp, 128, 3)).toBe('   '); // free baggage allowance
    expect(at(bcbp, 131, 1)).toBe(' '); // fast track
    expect(bcbp).toHaveLength(132);
  });

  it('fills optional items when given', () => {
    const full = encodeBcbp(
      data({
        eTicket: false,
        passengerDescription: '2',
        issuance: { date: '2026-11-21', checkInSource: 'K', source: 'M', issuer: 'LH' },
        baggageTags: ['0014123456003', '0014555666001'],
        legs: [
          leg({
            marketingCarrier: 'LH',
            passengerStatus: '3',
            selectee: '0',
            documentVerification: '2',
            idAdIndicator: '1',
            freeBaggageAllowance: '2PC',
            fastTrack: true,
            airlineUse: '*30600000K09',
          }),
        ],
      }),
    );
    expect(at(full, 22, 1)).toBe(' ');
    expect(at(full, 57, 1)).toBe('3');
    expect(at(full, 62, 2)).toBe('25'); // 24 + 13 for the 1st non-consecutive tag = 37
    expect(at(full, 64, 3)).toBe('2KM');
    expect(at(full, 72, 3)).toBe('LH ');
    expect(at(full, 75, 13)).toBe('0014123456003');
    expect(at(full, 88, 13)).toBe('0014555666001');
    expect(at(full, 101, 2)).toBe('2A');
    expect(at(full, 116, 2)).toBe('02');
    expect(at(full, 118, 3)).toBe('LH ');
    expect(at(full, 140, 5)).toBe('12PCY');
    expect(full.slice(145)).toBe('*30600000K09');
    expect(at(full, 58, 2)).toBe((full.length - 60).toString(16).toUpperCase());
  });

  it('leaves ticket and frequent flyer items blank when absent', () => {
    const bare = encodeBcbp(data({ legs: [leg({ ticketNumber: undefined, frequentFlyer: undefined })] }));
    expect(at(bare, 90, 13)).toBe(' '.repeat(13));
    expect(at(bare, 108, 19)).toBe(' '.repeat(19));
  });
});

describe('encodeBcbp: edge cases', () => {
  const legField = (overrides: Partial<BoardingPassLeg>, start: number, length: number): string =>
    at(encodeBcbp(data({ legs: [leg(overrides)] })), start, length);

  it.each([
    ['1A', '001A'],
    ['12C', '012C'],
    ['100K', '100K'],
    ['999f', '999F'],
  ])('seat %s → %s', (seat, expected) => expect(legField({ seat }, 48, 4)).toBe(expected));

  it.each([
    [1, '0001 '],
    [25, '0025 '],
    [9999, '9999 '],
  ])('sequence number %d → "%s"', (sequenceNumber, expected) =>
    expect(legField({ sequenceNumber }, 52, 5)).toBe(expected),
  );

  it.each([
    ['7', '0007 '],
    ['42', '0042 '],
    ['123', '0123 '],
    ['1234', '1234 '],
    ['7A', '0007A'],
    ['42B', '0042B'],
    ['123A', '0123A'],
    ['1234Z', '1234Z'],
  ])('flight number %s → "%s"', (flightNumber, expected) =>
    expect(legField({ flightNumber }, 39, 5)).toBe(expected),
  );

  it.each([
    ['2026-01-01', '001'],
    ['2026-02-01', '032'],
    ['2026-12-31', '365'],
    ['2027-12-31', '365'],
    ['2028-12-31', '366'],
    ['2028-03-01', '061'],
    ['2028-02-29', '060'],
  ])('flight date %s → Julian %s', (flightDate, expected) => expect(legField({ flightDate }, 44, 3)).toBe(expected));

  it('writes the issue date with the last digit of the year', () => {
    const issued = (date: string): string => at(encodeBcbp(data({ issuance: { date, checkInSource: 'W', issuer: 'AC' } })), 67, 4);
    expect(issued('2028-12-31')).toBe('8366');
    expect(issued('2030-01-01')).toBe('0001');
  });

  it('keeps the slash in a name longer than 20 characters', () => {
    const bcbp = encodeBcbp(data({ passenger: { surname: 'Wolfeschlegelsteinhausenberger', givenName: 'Hubert', title: 'Dr' } }));
    expect(at(bcbp, 2, 20)).toBe('WOLFESCHLEGELSTEIN/H');
  });

  it('encodes 4 legs, the unique conditional items only in the first', () => {
    const route = ['AMS', 'CDG', 'JFK', 'LAX', 'SFO'];
    const legs = [0, 1, 2, 3].map((i) =>
      leg({ from: route[i], to: route[i + 1], flightNumber: String(100 + i), seat: `${i + 1}C`, sequenceNumber: i + 1 }),
    );
    const bcbp = encodeBcbp(data({ legs }));
    expect(at(bcbp, 1, 1)).toBe('4');
    // Leg 1: 37 mandatory + 72 variable; legs 2-4: 37 + 44 (repeated size 2 + 42 repeated items).
    expect(at(bcbp, 58, 2)).toBe('48');
    let pos = 60 + 0x48;
    for (let i = 1; i < 4; i++) {
      expect(at(bcbp, pos + 7, 3)).toBe(route[i]);
      expect(at(bcbp, pos + 16, 5)).toBe(`010${i} `);
      expect(at(bcbp, pos + 35, 2)).toBe('2C');
      expect(at(bcbp, pos + 37, 2)).toBe('2A');
      pos += 37 + 0x2c;
    }
    expect(bcbp).toHaveLength(pos);
  });

  it('computes the variable size from the airline use data', () => {
    const bcbp = encodeBcbp(data({ legs: [leg({ airlineUse: 'X'.repeat(100) })] }));
    expect(at(bcbp, 58, 2)).toBe((72 + 100).toString(16).toUpperCase());
  });
});

describe('encodeBcbp: rejects what it cannot write', () => {
  const fails = (d: BoardingPassData, field: string): void => {
    expect(() => encodeBcbp(d)).toThrow(BcbpInputError);
    try {
      encodeBcbp(d);
    } catch (error) {
      expect((error as BcbpInputError).field).toBe(field);
    }
  };

  it.each<[string, Partial<BoardingPassLeg>, string]>([
    ['seat without letter', { seat: '12' }, 'legs[0].seat'],
    ['seat row 0', { seat: '0A' }, 'legs[0].seat'],
    ['seat row 1000', { seat: '1000A' }, 'legs[0].seat'],
    ['sequence 0', { sequenceNumber: 0 }, 'legs[0].sequenceNumber'],
    ['sequence 10000', { sequenceNumber: 10000 }, 'legs[0].sequenceNumber'],
    ['sequence 1.5', { sequenceNumber: 1.5 }, 'legs[0].sequenceNumber'],
    ['5-digit flight', { flightNumber: '12345' }, 'legs[0].flightNumber'],
    ['flight with two letters', { flightNumber: '12AB' }, 'legs[0].flightNumber'],
    ['non-date', { flightDate: '14/03/2026' }, 'legs[0].flightDate'],
    ['30 February', { flightDate: '2026-02-30' }, 'legs[0].flightDate'],
    ['29 February of a common year', { flightDate: '2027-02-29' }, 'legs[0].flightDate'],
    ['long PNR', { pnr: 'ABCDEFGH' }, 'legs[0].pnr'],
    ['airport of 4 letters', { from: 'EHAM' }, 'legs[0].from'],
    ['ticket of 12 digits', { ticketNumber: '074249706762' }, 'legs[0].ticketNumber'],
    ['FF number of 17', { frequentFlyer: { airline: 'KL', number: '12345678901234567' } }, 'legs[0].frequentFlyer.number'],
    ['non-ASCII airline use', { airlineUse: 'café' }, 'legs[0].airlineUse'],
    ['oversized airline use', { airlineUse: 'X'.repeat(200) }, 'legs[0].airlineUse'],
  ])('%s', (_name, overrides, field) => fails(data({ legs: [leg(overrides)] }), field));

  it('rejects 0 and 5 legs', () => {
    fails(data({ legs: [] }), 'legs');
    fails(data({ legs: [leg(), leg(), leg(), leg(), leg()] }), 'legs');
  });

  it('rejects a name with no Latin letters', () => {
    fails(data({ passenger: { surname: 'Παπαδόπουλος', givenName: 'Γιώργος' } }), 'passenger.surname');
  });
});
