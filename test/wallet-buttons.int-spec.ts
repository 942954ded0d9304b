import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import request from 'supertest';
import type { App } from 'supertest/types';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import type { Segment } from '../src/events/event-types';
import { ApnsContractServer } from './support/apns-contract-server';
import { count, publishApplied, waitFor } from './support/test-app';
import { GoogleWalletContractServer } from './support/google-wallet-contract-server';
import { useTestService, type UsedTestService } from './support/use-test-service';
import { appleWalletEnv, makeWalletTestChain } from './support/wallet-test-chain';

interface Sent {
  id: string;
  content: { subject?: string; text: string; html?: string };
  wallet: { googleSaveUrl?: string; applePassUrl?: string } | null;
}

function raw(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Books passengers (e-mail only) on `seg`, applies the flight's first snapshot (gate D7) and checks each in. */
async function checkedIn(service: UsedTestService, ref: string, seg: Segment, ids: string[]): Promise<void> {
  const booking = bookingSnapshot('booking.confirmed', {
    bookingReference: ref,
    passengers: ids.map((id) =>
      passenger({ passengerId: id, givenName: `Anna${id}`, surname: 'Jansen', locale: 'en', contacts: { email: `${ref}-${id}@example.com`.toLowerCase() }, consents: [{ channel: 'email', granted: true }] }),
    ),
    segments: [seg],
  });
  await publishApplied(service, booking);
  await publishApplied(service, flightStatus(seg, 1, { departureGate: 'D7' }));
  for (const [i, id] of ids.entries()) {
    const checkin = checkinCompleted({
      bookingReference: ref, passengerId: id, segmentId: seg.segmentId, seat: `8${'ABC'[i]}`, sequenceNumber: 12 + i,
      compartment: 'Y', boardingGroup: '2', boardingTime: '2026-12-01T06:55:00Z', gate: 'D7', checkedInAt: '2026-11-30T09:12:00Z',
    });
    await service.publisher.publish(checkin.type, checkin);
  }
}

/** The boarding-pass e-mails of one passenger once `n` are delivered, oldest first, as the read API shows them. */
async function boardingPasses(service: UsedTestService, ref: string, passengerId: string, n: number): Promise<Sent[]> {
  const ids = await waitFor(async () => {
    const rows: { id: string; status: string }[] = await service.db.query(
      `SELECT id, status FROM notifications WHERE booking_reference = $1 AND passenger_id = $2 AND type = 'boarding-pass' AND channel = 'email' ORDER BY created_at`,
      [ref, passengerId],
    );
    return rows.length === n && rows.every((r) => r.status === 'delivered') ? rows.map((r) => r.id) : undefined;
  }, 30_000, `${n} boarding pass(es) for ${ref}/${passengerId}`);
  const sent: Sent[] = [];
  for (const id of ids) sent.push({ id, ...((await service.http().get(`/api/notifications/${id}`).expect(200)).body as Omit<Sent, 'id'>) });
  return sent;
}

describe('wallet buttons: e-mail and PDF carry both wallets; a gate change re-issues only where no wallet keeps the passenger current', () => {
  const chain = makeWalletTestChain();
  let apns: ApnsContractServer;
  let google: GoogleWalletContractServer;
  beforeAll(async () => {
    apns = (await new ApnsContractServer().start()).acceptPassUpdates(chain.passTypeId);
    google = await new GoogleWalletContractServer().start();
  });
  const service = useTestService(() => ({
    ...appleWalletEnv(chain),
    ...apns.tokenAuthEnv(),
    GOOGLE_WALLET_ISSUER_ID: google.issuerId,
    GOOGLE_WALLET_SERVICE_ACCOUNT: JSON.stringify(google.serviceAccount),
    GOOGLE_WALLET_BASE_URL: google.origin,
    PROVIDER_TIMEOUT_MS: '3000',
    PUBLIC_BASE_URL: 'https://notifier.example.com',
  }));
  afterAll(async () => {
    await apns?.close();
    await google?.close();
  });
  afterEach(() => {
    expect(apns.violations).toEqual([]);
    expect(google.violations).toEqual([]);
  });

  const seg = segment({ flightNumber: '1831', destination: 'CDG' });
  const anonymous = () => request(service.app.getHttpServer() as App);
  let p1: Sent;

  it('puts both buttons in the e-mail (HTML links, URLs in the text part), says when the pass was issued, and links both from the PDF', async () => {
    await checkedIn(service, 'BTNS01', seg, ['P1', 'P2', 'P3']);
    [p1] = await boardingPasses(service, 'BTNS01', 'P1', 1);
    const html = p1.content.html ?? '';
    const apple = /<a href="(https:\/\/notifier\.example\.com\/wallet\/apple\/passes\/[^"]+)"[^>]*>Add to Apple Wallet<\/a>/.exec(html)?.[1];
    const googleUrl = /<a href="(https:\/\/pay\.google\.com\/gp\/v\/save\/[^"]+)"[^>]*>Add to Google Wallet<\/a>/.exec(html)?.[1];
    expect(apple).toMatch(/\/wallet\/apple\/passes\/[0-9a-f-]{36}\/[\w-]{43}\/boarding-pass\.pkpass$/);
    expect(googleUrl).toBeDefined();
    expect(p1.content.text).toContain(`Add to Apple Wallet (${apple})`);
    expect(p1.content.text).toContain(`Add to Google Wallet (${googleUrl})`);
    // Issued at check-in, 09:12Z: 10:12 in Amsterdam.
    expect(p1.content.text).toContain('Boarding pass issued: Mon 30 Nov 10:12');
    // The Google link verifies as Google would when the passenger opens it.
    await google.save(googleUrl!);

    // The Apple link serves the pass without any token but its own; anything else is 404.
    const path = apple!.replace('https://notifier.example.com', '');
    const pkpass = await anonymous().get(path).buffer(true).parse(raw).expect(200);
    expect(pkpass.headers['content-type']).toBe('application/vnd.apple.pkpass');
    expect((pkpass.body as Buffer).subarray(0, 2).toString('latin1')).toBe('PK');
    await anonymous().get(path.replace(/\/[\w-]{43}\//, `/${'A'.repeat(43)}/`)).expect(404);
    await anonymous().get(path.replace(/passes\/[0-9a-f-]{36}\//, `passes/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/`)).expect(404);
    // Bad input is named.
    const badSerial = await anonymous().get(`/wallet/apple/passes/not-a-serial/${'A'.repeat(43)}/boarding-pass.pkpass`).expect(400);
    expect(JSON.stringify(badSerial.body)).toContain('serialNumber');
    const badToken = await anonymous().get(path.replace(/\/[\w-]{43}\//, '/short/')).expect(400);
    expect(JSON.stringify(badToken.body)).toContain('token');

    // The PDF carries both links as link annotations.
    const pdf = (await service.http('viewer').get(`/api/notifications/${p1.id}/attachments/boarding-pass.pdf`).buffer(true).parse(raw).expect(200)).body as Buffer;
    const uris = [...pdf.toString('latin1').matchAll(/\/S \/URI\n\/URI \(([^)]*)\)/g)].map((m) => m[1]);
    expect(uris).toHaveLength(2);
    expect(uris[0]).toBe(apple);
    expect(uris[1]).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
  });

  it('after a gate change, re-sends the boarding pass (new gate) to the passenger without a wallet pass, not to those whose Apple pass is on a device or whose Google pass is saved', async () => {
    // P1 adds the pass to Wallet: the device registers it.
    const [{ serial_number: serial, authentication_token: token }] = await service.db.query(
      `SELECT serial_number, authentication_token FROM apple_wallet_passes WHERE booking_reference = 'BTNS01' AND passenger_id = 'P1'`,
    );
    const device = `device-${randomBytes(6).toString('hex')}`;
    await anonymous()
      .post(`/wallet/apple/v1/devices/${device}/registrations/${chain.passTypeId}/${serial}`)
      .set('Authorization', `ApplePass ${token}`)
      .send({ pushToken: randomBytes(32).toString('hex') })
      .expect(201);
    await boardingPasses(service, 'BTNS01', 'P2', 1);
    // P3 saves the Google pass, then checks in again with another seat: the new facts are PATCHed to the saved object
    // (200), which is what shows the service that Google holds it (docs/decisions/0034).
    const [p3] = await boardingPasses(service, 'BTNS01', 'P3', 1);
    await google.save(p3.wallet!.googleSaveUrl!);
    const again = checkinCompleted({
      bookingReference: 'BTNS01', passengerId: 'P3', segmentId: seg.segmentId, seat: '9C', sequenceNumber: 14,
      compartment: 'Y', boardingGroup: '2', boardingTime: '2026-12-01T06:55:00Z', gate: 'D7', checkedInAt: '2026-11-30T10:00:00Z',
    });
    await service.publisher.publish(again.type, again);
    await boardingPasses(service, 'BTNS01', 'P3', 2);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM google_wallet_resources WHERE kind = 'flightObject' AND booking_reference = 'BTNS01' AND last_status = 200`)) === 1, 30_000, "P3's object PATCHed");

    await publishApplied(service, flightStatus(seg, 2, { departureGate: 'E12' }));
    // P2 (a Google link made but never known saved, no Apple device) gets a new boarding pass with the new gate.
    const [, reissued] = await boardingPasses(service, 'BTNS01', 'P2', 2);
    expect(reissued.content.text).toContain('Gate: E12');
    // The old gate nowhere as a gate (the text also carries a random base64 save link, which may hold any two characters).
    expect(reissued.content.text).not.toMatch(/Gate:? D7\b/);
    // Issued when the gate changed, not at check-in.
    expect(reissued.content.text).not.toContain('Boarding pass issued: Mon 30 Nov 10:12');
    // Both heard the news itself, as before; planned in the same transaction as the re-issue.
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'BTNS01' AND type = 'gate-change'`)).toBe(3);
    // P1's Apple pass and P3's saved Google pass update themselves: no new boarding pass for them.
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'BTNS01' AND passenger_id = 'P1' AND type = 'boarding-pass'`)).toBe(1);
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'BTNS01' AND passenger_id = 'P3' AND type = 'boarding-pass'`)).toBe(2);
  });
});

describe('wallet buttons without a wallet configured', () => {
  const service = useTestService();

  it('sends the boarding-pass e-mail and PDF without buttons, but with the issue time', async () => {
    const seg = segment({ flightNumber: '1832', destination: 'CDG' });
    await checkedIn(service, 'BTNS02', seg, ['P1']);
    const [sent] = await boardingPasses(service, 'BTNS02', 'P1', 1);
    expect(sent.content.html).not.toMatch(/Wallet|<a /);
    expect(sent.content.text).not.toContain('Wallet');
    expect(sent.content.text).toContain('Boarding pass issued: Mon 30 Nov 10:12');
    expect(sent.wallet).toBeNull();
    const pdf = (await service.http('viewer').get(`/api/notifications/${sent.id}/attachments/boarding-pass.pdf`).buffer(true).parse(raw).expect(200)).body as Buffer;
    expect(pdf.toString('latin1')).not.toContain('/URI');

    // Without a wallet, every checked-in passenger gets the new boarding pass after a gate change.
    await publishApplied(service, flightStatus(seg, 2, { departureGate: 'E12' }));
    const [, reissued] = await boardingPasses(service, 'BTNS02', 'P1', 2);
    expect(reissued.content.text).toContain('Gate: E12');
  });
});

describe('a re-issued boarding pass waits out the news window once', () => {
  const service = useTestService({ FLIGHT_NEWS_WINDOW_SECONDS: '600' });

  it('keeps the due time of the re-issue it replaces: a second change in the window does not postpone it', async () => {
    const seg = segment({ flightNumber: '1833', destination: 'CDG' });
    await checkedIn(service, 'BTNS03', seg, ['P1']);
    await boardingPasses(service, 'BTNS03', 'P1', 1);
    const pending = () =>
      service.db.query(
        `SELECT id, due_at FROM notifications WHERE booking_reference = 'BTNS03' AND type = 'boarding-pass' AND status = 'pending'`,
      ) as Promise<{ id: string; due_at: Date }[]>;
    await publishApplied(service, flightStatus(seg, 2, { departureGate: 'E12' }));
    const [first] = await pending();
    expect(first.due_at.getTime()).toBeGreaterThan(Date.now() + 60_000); // waits out the window
    await new Promise((r) => setTimeout(r, 1_100));
    await publishApplied(service, flightStatus(seg, 3, { departureGate: 'F3' }));
    const now = await pending();
    expect(now).toHaveLength(1);
    expect(now[0].id).not.toBe(first.id); // replaced, with the latest gate …
    expect(now[0].due_at.getTime()).toBe(first.due_at.getTime()); // … and the first one's due time
  });
});
