import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { loadSigningKey, saveClaims, saveLink, SAVE_URL_PREFIX } from './google-wallet-jwt';
import { backoffMs } from './google-wallet.service';
import { flightClassFacts, flightClassId, flightClassOf, flightObjectId, flightObjectOf, localDateTime, type WalletLeg } from './google-wallet-objects';

const ISSUER = '3388000000022222228';

const leg = (over: Partial<WalletLeg> = {}): WalletLeg => ({
  flight: {
    code: 'KL1234',
    carrier: 'KL',
    flightNumber: '1234',
    departureDate: '2026-12-01',
    origin: 'AMS',
    destination: 'LHR',
    status: 'DELAYED',
    scheduledDeparture: '2026-12-01T07:35:00Z',
    estimatedDeparture: '2026-12-01T08:50:00Z',
    scheduledArrival: '2026-12-01T08:00:00Z',
    departureGate: 'D7',
    departureTerminal: '2',
  },
  bookingReference: 'ABC123',
  passengerId: 'p1',
  passengerName: 'Jansen/Anna MRS',
  ticketNumber: '0742123456789',
  seat: '12C',
  sequenceNumber: 42,
  boardingGroup: '3',
  boardingTime: '2026-12-01T07:05:00Z',
  bcbp: 'M1JANSEN/ANNA MRS     EABC123 AMSLHRKL 1234 335Y012C0042 100',
  ...over,
});

describe('Google Wallet FlightClass and FlightObject', () => {
  it('names the class <issuer>.<carrier><flight>-<date>-<origin>', () => {
    expect(flightClassId(ISSUER, leg().flight)).toBe(`${ISSUER}.KL1234-2026-12-01-AMS`);
  });

  it('gives the object an id that names no booking or passenger, stable per passenger and leg', () => {
    const id = flightObjectId(ISSUER, leg());
    expect(id).toMatch(new RegExp(`^${ISSUER}\\.bp-[0-9a-f]{40}$`));
    expect(id).not.toContain('ABC123');
    expect(flightObjectId(ISSUER, leg())).toBe(id);
    expect(flightObjectId(ISSUER, leg({ passengerId: 'p2' }))).not.toBe(id);
  });

  it('tells carrier, flight, airports with gate and terminal, local times and status in the reference’s field names', () => {
    const cls = flightClassOf(ISSUER, leg());
    expect(cls).toEqual({
      id: `${ISSUER}.KL1234-2026-12-01-AMS`,
      reviewStatus: 'UNDER_REVIEW',
      flightHeader: { carrier: { carrierIataCode: 'KL' }, flightNumber: '1234' },
      origin: { airportIataCode: 'AMS', terminal: '2', gate: 'D7' },
      destination: { airportIataCode: 'LHR' },
      // Amsterdam is UTC+1 in December, London UTC+0: local wall-clock times without an offset.
      localScheduledDepartureDateTime: '2026-12-01T08:35:00',
      localEstimatedOrActualDepartureDateTime: '2026-12-01T09:50:00',
      localBoardingDateTime: '2026-12-01T08:05:00',
      localScheduledArrivalDateTime: '2026-12-01T08:00:00',
      flightStatus: 'SCHEDULED',
    });
  });

  it('maps our statuses to Google’s: cancelled, departed, arrived, diverted', () => {
    const status = (s: string) => flightClassFacts({ ...leg().flight, status: s }).flightStatus;
    expect(status('CANCELLED')).toBe('CANCELLED');
    expect(status('DEPARTED')).toBe('ACTIVE');
    expect(status('ARRIVED')).toBe('LANDED');
    expect(status('DIVERTED')).toBe('DIVERTED');
    expect(status('BOARDING')).toBe('SCHEDULED');
  });

  it('never sends a time with an offset', () => {
    expect(localDateTime('2026-07-01T23:30:00+00:00', 'AMS')).toBe('2026-07-02T01:30:00');
    expect(localDateTime('2026-07-01T23:30:00Z', 'XXX')).toBe('2026-07-01T23:30:00');
  });

  it('tells the passenger’s seat, group, sequence, booking, e-ticket and the BCBP as a QR code', () => {
    const object = flightObjectOf(ISSUER, leg());
    expect(object).toEqual({
      id: flightObjectId(ISSUER, leg()),
      classId: `${ISSUER}.KL1234-2026-12-01-AMS`,
      state: 'ACTIVE',
      passengerName: 'Jansen/Anna MRS',
      boardingAndSeatingInfo: { seatNumber: '12C', boardingGroup: '3', sequenceNumber: '42' },
      reservationInfo: { confirmationCode: 'ABC123', eTicketNumber: '0742123456789' },
      barcode: { type: 'QR_CODE', value: leg().bcbp },
    });
  });
});

describe('Save to Google Wallet JWT', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('is signed RS256 by the service account and holds the class and object', async () => {
    const cls = flightClassOf(ISSUER, leg());
    const object = flightObjectOf(ISSUER, leg());
    const now = new Date('2026-11-30T10:00:00Z');
    const url = await saveLink(saveClaims('wallet@project.iam.gserviceaccount.com', cls, object, now), await loadSigningKey(pem), 'key-1');
    expect(url.startsWith(SAVE_URL_PREFIX)).toBe(true);
    const jwt = url.slice(SAVE_URL_PREFIX.length);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-1' });
    const spki = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
    const { payload } = await jwtVerify(jwt, spki, { issuer: 'wallet@project.iam.gserviceaccount.com', audience: 'google', currentDate: now });
    expect(payload).toEqual({
      iss: 'wallet@project.iam.gserviceaccount.com',
      aud: 'google',
      typ: 'savetowallet',
      iat: Math.floor(now.getTime() / 1000),
      origins: [],
      payload: { flightClasses: [cls], flightObjects: [object] },
    });
  });

  it('does not verify with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const url = await saveLink(saveClaims('a@b.example', flightClassOf(ISSUER, leg()), flightObjectOf(ISSUER, leg()), new Date()), await loadSigningKey(pem));
    const spki = await importSPKI(other.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
    await expect(jwtVerify(url.slice(SAVE_URL_PREFIX.length), spki)).rejects.toThrow();
  });

  it('names the variable, never the key, when the key cannot be used', async () => {
    await expect(loadSigningKey('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----')).rejects.toThrow(/GOOGLE_WALLET_SERVICE_ACCOUNT private_key/);
  });
});

describe('Google Wallet PATCH back-off', () => {
  it('doubles from 2 s with jitter in the upper half, and stops growing at 15 minutes', () => {
    expect([1, 2, 3].map((a) => backoffMs(a, () => 0))).toEqual([1_000, 2_000, 4_000]);
    expect([1, 2, 3].map((a) => backoffMs(a, () => 1))).toEqual([2_000, 4_000, 8_000]);
    expect(backoffMs(30, () => 1)).toBe(15 * 60_000);
  });
});
