import { sampleFlight } from '../../rendering/render-context.sample';
import type { PassFacts } from './pass-facts';
import { passVisibleFacts } from './pass-facts';
import { buildPassJson, inZone, type PassIdentity } from './pass-json';

const facts = (over: Partial<PassFacts['flight']> = {}, checkin: Partial<PassFacts['checkin']> = {}): PassFacts => ({
  locale: 'nl-NL',
  passenger: { givenName: 'Luc', surname: 'Desmarais' },
  booking: { reference: 'X7K2QP' },
  flight: sampleFlight({ departureGate: 'D7', departureTerminal: '2', ...over }),
  checkin: { seat: '12A', sequenceNumber: 42, compartment: 'Y', boardingGroup: '3', boardingTime: '2026-12-01T06:55:00Z', ...checkin },
});
const id: PassIdentity = {
  passTypeIdentifier: 'pass.com.example.airline',
  teamIdentifier: 'T3AMTESTID',
  serialNumber: 'serial-1',
  authenticationToken: 'a'.repeat(32),
  webServiceURL: 'https://notifier.example.com/wallet/apple',
  organizationName: 'KLM',
  bcbp: 'M1DESMARAIS/LUC       EX7K2QP AMSCDGKL 1234 335Y012A0042 100',
};
type Field = { key: string; label?: string; value: string | number; ignoresTimeZone?: boolean; changeMessage?: string };
type Pass = {
  boardingPass: Record<'headerFields' | 'primaryFields' | 'secondaryFields' | 'auxiliaryFields' | 'backFields', Field[]> & { transitType: string };
  barcodes: { format: string; message: string; messageEncoding: string }[];
  semantics: Record<string, unknown>;
  relevantDate: string;
  [key: string]: unknown;
};
const field = (pass: Pass, key: string) =>
  Object.entries(pass.boardingPass)
    .flatMap(([, v]) => (Array.isArray(v) ? v : []))
    .find((f) => f.key === key);

describe('buildPassJson', () => {
  it('is an air boarding pass with the BCBP in an ISO-8859-1 bar code and the identity Wallet needs', () => {
    const pass = buildPassJson(facts(), id) as Pass;
    expect(pass).toMatchObject({
      formatVersion: 1,
      passTypeIdentifier: id.passTypeIdentifier,
      teamIdentifier: id.teamIdentifier,
      serialNumber: 'serial-1',
      authenticationToken: id.authenticationToken,
      webServiceURL: id.webServiceURL,
      organizationName: 'KLM',
    });
    expect(pass.boardingPass.transitType).toBe('PKTransitTypeAir');
    expect(pass.barcodes).toEqual([{ format: 'PKBarcodeFormatQR', message: id.bcbp, messageEncoding: 'iso-8859-1' }]);
    expect(buildPassJson(facts(), { ...id, barcodeFormat: 'PKBarcodeFormatAztec' }).barcodes).toEqual([expect.objectContaining({ format: 'PKBarcodeFormatAztec' })]);
  });

  it('puts the gate in the header, the cities first, seat, group and times below, labels as pass.strings keys', () => {
    const pass = buildPassJson(facts(), id) as Pass;
    expect(pass.boardingPass.headerFields).toEqual([{ key: 'gate', label: 'label.gate', value: 'D7', changeMessage: 'change.gate' }]);
    expect(pass.boardingPass.primaryFields.map((f) => [f.key, f.label, f.value])).toEqual([
      ['origin', 'city.AMS', 'AMS'],
      ['destination', 'city.CDG', 'CDG'],
    ]);
    expect(field(pass, 'passenger')?.value).toBe('Luc Desmarais');
    expect(field(pass, 'seat')).toMatchObject({ value: '12A', changeMessage: 'change.seat' });
    expect(field(pass, 'group')?.value).toBe('3');
    expect(field(pass, 'bookingReference')?.value).toBe('X7K2QP');
  });

  it("shows boarding and departure at the departure airport's wall clock (Amsterdam is UTC+1 in December)", () => {
    const pass = buildPassJson(facts(), id) as Pass;
    expect(field(pass, 'boarding')).toMatchObject({ value: '2026-12-01T07:55:00+01:00', ignoresTimeZone: true });
    expect(field(pass, 'departure')).toMatchObject({ value: '2026-12-01T08:35:00+01:00', ignoresTimeZone: true });
    expect(pass.relevantDate).toBe('2026-12-01T07:55:00+01:00');
    // A delay moves the departure shown.
    expect(field(buildPassJson(facts({ estimatedDeparture: '2026-12-01T09:05:00Z' }), id) as Pass, 'departure')?.value).toBe('2026-12-01T10:05:00+01:00');
  });

  it("the check-in's gate wins over the flight's; no gate yet shows a dash", () => {
    expect(field(buildPassJson(facts({}, { gate: 'E9' }), id) as Pass, 'gate')?.value).toBe('E9');
    expect(field(buildPassJson(facts({ departureGate: undefined }), id) as Pass, 'gate')?.value).toBe('—');
  });

  it('carries the semantic tags of a boarding pass', () => {
    const pass = buildPassJson(facts({ estimatedDeparture: '2026-12-01T08:05:00Z' }), id) as Pass;
    expect(pass.semantics).toMatchObject({
      airlineCode: 'KL',
      flightCode: 'KL1234',
      flightNumber: 1234,
      departureAirportCode: 'AMS',
      destinationAirportCode: 'CDG',
      departureLocationDescription: 'Amsterdam',
      destinationLocationDescription: 'Paris',
      departureGate: 'D7',
      departureTerminal: '2',
      boardingGroup: '3',
      confirmationNumber: 'X7K2QP',
      passengerName: { givenName: 'Luc', familyName: 'Desmarais' },
      seats: [{ seatIdentifier: '12A', seatRow: '12', seatNumber: 'A' }],
      originalDepartureDate: '2026-12-01T08:35:00+01:00',
      currentDepartureDate: '2026-12-01T09:05:00+01:00',
      currentBoardingDate: '2026-12-01T07:55:00+01:00',
      transitStatus: 'Delayed',
    });
  });

  it("says so on a cancelled flight's pass", () => {
    const pass = buildPassJson(facts({ status: 'CANCELLED' }), id) as Pass;
    expect(pass.boardingPass.headerFields[0]).toEqual({ key: 'status', value: 'status.cancelled' });
    expect(pass.semantics.transitStatus).toBe('Cancelled');
  });
});

describe('inZone', () => {
  it('keeps the instant and gives it the zone offset; undefined for text that is no date', () => {
    expect(inZone('2026-07-01T22:30:00Z', 'America/New_York')).toBe('2026-07-01T18:30:00-04:00');
    expect(inZone('07:25', 'Europe/Amsterdam')).toBeUndefined();
  });
});

describe('passVisibleFacts', () => {
  it('changes with gate, boarding time, departure time, seat and cancellation, not with what the pass does not show', () => {
    const base = JSON.stringify(passVisibleFacts(facts()));
    expect(JSON.stringify(passVisibleFacts(facts({ departureGate: 'D9' })))).not.toBe(base);
    expect(JSON.stringify(passVisibleFacts(facts({ estimatedDeparture: '2026-12-01T09:00:00Z' })))).not.toBe(base);
    expect(JSON.stringify(passVisibleFacts(facts({}, { boardingTime: '2026-12-01T07:00:00Z' })))).not.toBe(base);
    expect(JSON.stringify(passVisibleFacts(facts({}, { seat: '14C' })))).not.toBe(base);
    expect(JSON.stringify(passVisibleFacts(facts({ status: 'CANCELLED' })))).not.toBe(base);
    expect(JSON.stringify(passVisibleFacts(facts({ baggageBelt: '7' })))).toBe(base);
  });
});
