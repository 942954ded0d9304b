import { decodeProtectedHeader } from 'jose';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import type { Segment } from '../src/events/event-types';
import { GoogleWalletContractServer } from './support/google-wallet-contract-server';
import { startService, type TestService, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

interface ResourceRow {
  synced_version: number;
  pending: unknown;
  claimed_until: Date | null;
  last_status: number | null;
  attempts: number;
}

describe('Google Wallet: save links in boarding passes, saved passes kept current through the REST API', () => {
  let wallet: GoogleWalletContractServer;
  beforeAll(async () => {
    wallet = await new GoogleWalletContractServer().start();
  });
  const service = useTestService(() => ({
    GOOGLE_WALLET_ISSUER_ID: wallet.issuerId,
    // token_uri in the key file points at the contract server: no override variable needed.
    GOOGLE_WALLET_SERVICE_ACCOUNT: JSON.stringify(wallet.serviceAccount),
    GOOGLE_WALLET_BASE_URL: wallet.origin,
    PROVIDER_TIMEOUT_MS: '3000',
  }));
  afterAll(async () => {
    await wallet?.close();
  });
  afterEach(() => {
    // Every request the service made kept to the documented contracts.
    expect(wallet.violations).toEqual([]);
  });

  const classIdOf = (seg: Segment) => `${wallet.issuerId}.${seg.carrier}${seg.flightNumber}-${seg.departureDate}-${seg.origin}`;
  const resource = async (id: string): Promise<ResourceRow | undefined> =>
    (await service.db.query(`SELECT synced_version, pending, claimed_until, last_status, attempts FROM google_wallet_resources WHERE resource_id = $1`, [id]))[0];

  /** Books one passenger (e-mail), publishes the flight's first snapshot and a check-in; returns the boarding-pass e-mail as the read API shows it. */
  const boardingPass = async (ref: string, seg: Segment, seat = '12C') => {
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({
          passengerId: 'P1',
          givenName: 'Anna',
          surname: 'Jansen',
          title: 'MRS',
          locale: 'en',
          ticketNumber: '0742123456789',
          contacts: { email: `${ref.toLowerCase()}@example.com` },
          consents: [{ channel: 'email', granted: true }],
        }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(booking.type, booking);
    const first = flightStatus(seg, 1, { departureGate: 'D7', departureTerminal: '2' });
    await service.publisher.publish(first.type, first);
    await waitFor(async () => (await service.db.query(`SELECT 1 FROM flight_status WHERE flight_number = $1 AND version = 1`, [seg.flightNumber])).length === 1, 30_000, 'flight applied');
    return checkIn(ref, seg, seat);
  };

  const checkIn = async (ref: string, seg: Segment, seat: string) => {
    const before = await service.db.query(`SELECT id FROM notifications WHERE booking_reference = $1 AND type = 'boarding-pass'`, [ref]);
    const checkin = checkinCompleted({
      bookingReference: ref, passengerId: 'P1', segmentId: seg.segmentId, seat, sequenceNumber: 42,
      compartment: 'Y', boardingGroup: '3', boardingTime: '2026-12-01T07:05:00Z', gate: 'D7', checkedInAt: '2026-11-30T09:12:00Z',
    });
    await service.publisher.publish(checkin.type, checkin);
    const id = await waitFor(async () => {
      const rows: { id: string; status: string }[] = await service.db.query(`SELECT id, status FROM notifications WHERE booking_reference = $1 AND type = 'boarding-pass' AND channel = 'email'`, [ref]);
      return rows.find((r) => r.status === 'delivered' && !before.some((b: { id: string }) => b.id === r.id))?.id;
    }, 30_000, 'boarding pass delivered');
    return (await service.http().get(`/api/notifications/${id}`).expect(200)).body as {
      content: { subject?: string; text: string; html?: string };
      wallet: { googleSaveUrl?: string } | null;
      boardingPass: { legs: { seat: string }[] };
    };
  };

  const seg1 = segment({ segmentId: 'SEG-1', flightNumber: '1601', destination: 'LHR', scheduledDeparture: '2026-12-01T07:35:00Z', scheduledArrival: '2026-12-01T08:00:00Z' });

  it('puts a save link in the boarding-pass e-mail and the read API: RS256 by the service account, holding the class and object of the leg', async () => {
    const email = await boardingPass('GW0001', seg1);
    const url = email.wallet?.googleSaveUrl;
    expect(url).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\/[\w-]+\.[\w-]+\.[\w-]+$/);
    // The e-mail tells the passenger the link (the read API makes the same pass, with a fresh iat).
    const sentLink = /https:\/\/pay\.google\.com\/gp\/v\/save\/[\w.-]+/.exec(email.content.html ?? '')?.[0];
    expect(sentLink).toBeDefined();
    expect(email.content.text).toContain('Google Wallet');

    for (const link of [url!, sentLink!]) {
      expect(decodeProtectedHeader(link.split('/').pop()!)).toMatchObject({ alg: 'RS256', kid: wallet.keyId });
      // Verified with the service account's public key, as Google does when the passenger opens it.
      const { claims } = await wallet.save(link);
      expect(claims).toMatchObject({ iss: wallet.clientEmail, aud: 'google', typ: 'savetowallet', origins: [] });
      const payload = claims.payload as { flightClasses: Record<string, unknown>[]; flightObjects: Record<string, unknown>[] };
      expect(payload.flightClasses).toEqual([
        expect.objectContaining({
          id: classIdOf(seg1),
          flightHeader: { carrier: { carrierIataCode: 'KL' }, flightNumber: '1601' },
          origin: { airportIataCode: 'AMS', terminal: '2', gate: 'D7' },
          destination: { airportIataCode: 'LHR' },
          // Amsterdam's wall clock in December is UTC+1.
          localScheduledDepartureDateTime: '2026-12-01T08:35:00',
          localEstimatedOrActualDepartureDateTime: '2026-12-01T08:35:00',
          localBoardingDateTime: '2026-12-01T08:05:00',
          flightStatus: 'SCHEDULED',
        }),
      ]);
      expect(payload.flightObjects).toEqual([
        expect.objectContaining({
          classId: classIdOf(seg1),
          state: 'ACTIVE',
          passengerName: 'Jansen/Anna MRS',
          boardingAndSeatingInfo: { seatNumber: '12C', boardingGroup: '3', sequenceNumber: '42' },
          reservationInfo: { confirmationCode: 'GW0001', eTicketNumber: '0742123456789' },
          barcode: { type: 'QR_CODE', value: expect.stringMatching(/^M1JANSEN\/ANNAMRS\s+EGW0001 AMSLHRKL 1601 /) },
        }),
      ]);
      // The object id names no booking.
      expect(String(payload.flightObjects[0].id)).not.toContain('GW0001');
    }
    expect(wallet.patches).toEqual([]);
  });

  it('PATCHes the saved class once when the gate changes, with two replicas running; then its cancellation', async () => {
    const classId = classIdOf(seg1);
    expect(wallet.stored.has(classId)).toBe(true);
    const second: TestService = await startService(service.env);
    try {
      // A slow answer: both replicas poll (every second) while the PATCH is under way, and the row is claimed.
      wallet.script(classId, { delayMs: 2_500 });
      const gate = flightStatus(seg1, 2, { departureGate: 'E12', departureTerminal: '2' });
      await service.publisher.publish(gate.type, gate);
      await waitFor(async () => (await resource(classId))?.synced_version === 2, 30_000, 'class synced to version 2');
      const patches = wallet.patchesOf(classId);
      expect(patches).toHaveLength(1);
      expect(patches[0]).toMatchObject({ kind: 'flightClass', status: 200, body: { origin: { airportIataCode: 'AMS', terminal: '2', gate: 'E12' } } });
      expect(wallet.stored.get(classId)).toMatchObject({ origin: { gate: 'E12' } });

      const cancelled = flightStatus(seg1, 3, { status: 'CANCELLED', departureGate: 'E12' });
      await second.publisher.publish(cancelled.type, cancelled);
      await waitFor(async () => (await resource(classId))?.synced_version === 3, 30_000, 'class synced to version 3');
      expect(wallet.patchesOf(classId)).toHaveLength(2);
      expect(wallet.stored.get(classId)).toMatchObject({ flightStatus: 'CANCELLED' });
      // One access token for both replicas: the token endpoint was asked once.
      expect(wallet.grants).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('retries a PATCH Google answers 429 (after its Retry-After) and records a 404 without retrying', async () => {
    const seg2 = segment({ segmentId: 'SEG-1', flightNumber: '1602', destination: 'LHR', scheduledDeparture: '2026-12-01T09:35:00Z', scheduledArrival: '2026-12-01T10:00:00Z' });
    const email = await boardingPass('GW0002', seg2);
    const classId = classIdOf(seg2);
    await wallet.save(email.wallet!.googleSaveUrl!);
    wallet.script(classId, { status: 429, headers: { 'Retry-After': '1' } });
    const moved = flightStatus(seg2, 2, { departureGate: 'F3' });
    await service.publisher.publish(moved.type, moved);
    await waitFor(async () => (await resource(classId))?.synced_version === 2, 30_000, 'class synced after a 429');
    expect(wallet.patchesOf(classId).map((p) => p.status)).toEqual([429, 200]);
    expect(wallet.stored.get(classId)).toMatchObject({ origin: { gate: 'F3' } });

    // Issued (a link was made) but never saved: Google has no such class.
    const seg3 = segment({ segmentId: 'SEG-1', flightNumber: '1603', destination: 'LHR' });
    await boardingPass('GW0003', seg3);
    const unsaved = classIdOf(seg3);
    const change = flightStatus(seg3, 2, { departureGate: 'G9' });
    await service.publisher.publish(change.type, change);
    await waitFor(async () => (await resource(unsaved))?.synced_version === 2, 30_000, 'unsaved class recorded');
    expect(await resource(unsaved)).toMatchObject({ last_status: 404, claimed_until: null });
    expect(wallet.patchesOf(unsaved).map((p) => p.status)).toEqual([404]);
  });

  it('PATCHes the saved object when a new check-in changes the seat, and leaves classes nobody was given alone', async () => {
    const before = (await wallet.save((await boardingPass('GW0004', segment({ segmentId: 'SEG-1', flightNumber: '1604', destination: 'LHR' }))).wallet!.googleSaveUrl!)).claims;
    const objectId = String((before.payload as { flightObjects: { id: string }[] }).flightObjects[0].id);
    const again = await checkIn('GW0004', segment({ segmentId: 'SEG-1', flightNumber: '1604', destination: 'LHR' }), '3A');
    expect(again.boardingPass.legs[0].seat).toBe('003A');
    await waitFor(async () => wallet.patchesOf(objectId).find((p) => p.status === 200), 30_000, 'object patched');
    await waitFor(async () => (await resource(objectId))?.pending === null, 30_000, 'nothing pending');
    expect(wallet.patchesOf(objectId)).toHaveLength(1);
    expect(wallet.stored.get(objectId)).toMatchObject({ boardingAndSeatingInfo: { seatNumber: '3A' } });

    // A flight whose passengers were given no link is never PATCHed.
    const other = segment({ segmentId: 'SEG-1', flightNumber: '1699', destination: 'LHR' });
    const first = flightStatus(other, 1);
    const second = flightStatus(other, 2, { departureGate: 'Z1' });
    await service.publisher.publish(first.type, first);
    await service.publisher.publish(second.type, second);
    await waitFor(async () => (await service.db.query(`SELECT 1 FROM flight_status WHERE flight_number = '1699' AND version = 2`)).length === 1, 30_000, 'flight applied');
    expect(wallet.patchesOf(classIdOf(other))).toEqual([]);
    expect(await resource(classIdOf(other))).toBeUndefined();
  });
});
