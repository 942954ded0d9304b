import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import request from 'supertest';
import type { App } from 'supertest/types';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { ApnsContractServer } from './support/apns-contract-server';
import { count, publishApplied, startService, TestService, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';
import { appleWalletEnv, makeWalletTestChain } from './support/wallet-test-chain';

type Field = { key: string; value: string | number; label?: string };
interface PassJson {
  serialNumber: string;
  authenticationToken: string;
  webServiceURL: string;
  passTypeIdentifier: string;
  barcodes: { format: string; message: string; messageEncoding: string }[];
  boardingPass: { transitType: string; headerFields: Field[]; auxiliaryFields: Field[] };
  semantics: Record<string, unknown>;
}

/** Unpacks a .pkpass, checks every manifest hash and the signature (OpenSSL, against the test chain), returns its files. */
function unpackAndVerify(pkpass: Buffer, rootPem: string): { passJson: PassJson; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pkpass-int-'));
  try {
    writeFileSync(join(dir, 'pass.pkpass'), pkpass);
    writeFileSync(join(dir, 'root.pem'), rootPem);
    execFileSync('unzip', ['-q', 'pass.pkpass', '-d', 'x'], { cwd: dir });
    const files = execFileSync('unzip', ['-Z1', 'pass.pkpass'], { cwd: dir }).toString().trim().split('\n');
    const manifest = JSON.parse(readFileSync(join(dir, 'x/manifest.json'), 'utf8')) as Record<string, string>;
    // Every file but manifest and signature is in the manifest with its SHA-1.
    expect(Object.keys(manifest).sort()).toEqual(files.filter((f) => f !== 'manifest.json' && f !== 'signature').sort());
    for (const [name, sha1] of Object.entries(manifest)) {
      expect({ name, sha1: createHash('sha1').update(readFileSync(join(dir, 'x', name))).digest('hex') }).toEqual({ name, sha1 });
    }
    // A detached CMS signature of manifest.json that chains to the test root through the WWDR-like intermediate
    // it carries (only the root is given as trust anchor). execFileSync throws if OpenSSL says no.
    execFileSync(
      'openssl',
      ['smime', '-verify', '-binary', '-inform', 'DER', '-in', 'x/signature', '-content', 'x/manifest.json', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'],
      { cwd: dir, stdio: 'pipe' },
    );
    return { passJson: JSON.parse(readFileSync(join(dir, 'x/pass.json'), 'utf8')) as PassJson, files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const binary = (res: Response) => res.body as Buffer;
const field = (pass: PassJson, key: string) => [...pass.boardingPass.headerFields, ...pass.boardingPass.auxiliaryFields].find((f) => f.key === key);

describe('Apple Wallet boarding pass: pkpass, pass web service, updates pushed through APNs', () => {
  const chain = makeWalletTestChain();
  let apns: ApnsContractServer;
  beforeAll(async () => {
    apns = (await new ApnsContractServer().start()).acceptPassUpdates(chain.passTypeId);
  });
  const service = useTestService(() => ({
    ...appleWalletEnv(chain),
    // Token authentication, shared with the push channel (docs/decisions/0031).
    ...apns.tokenAuthEnv(),
    PROVIDER_TIMEOUT_MS: '3000',
    AIRLINE_NAMES: '{"KL":"KLM Royal Dutch Airlines"}',
    PUBLIC_BASE_URL: 'https://notifier.example.com',
  }));
  let replica: TestService | undefined;
  afterAll(async () => {
    await replica?.close();
    await apns?.close();
  });
  afterEach(() => expect(apns.violations).toEqual([]));

  /** Wallet's requests: no ops token, the pass's own ApplePass token where Apple sends one. */
  const wallet = () => request(service.app.getHttpServer() as App);
  const seg = segment({ flightNumber: '1821', destination: 'CDG' });
  let pass: PassJson;
  let emailId: string;

  it('attaches a signed .pkpass to the boarding-pass e-mail and serves it from the read API', async () => {
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'WALLT1',
      passengers: [
        passenger({ passengerId: 'P1', givenName: 'Zoë', surname: 'Müller', locale: 'nl-NL', contacts: { email: 'zoe@example.com' }, consents: [{ channel: 'email', granted: true }] }),
      ],
      segments: [seg],
    });
    await publishApplied(service, booking);
    const checkin = checkinCompleted({
      bookingReference: 'WALLT1', passengerId: 'P1', segmentId: 'SEG-1', seat: '8A', sequenceNumber: 12,
      compartment: 'Y', boardingGroup: '2', boardingTime: '2026-12-01T06:55:00Z', gate: 'D7', checkedInAt: '2026-11-30T09:12:00Z',
    });
    await service.publisher.publish(checkin.type, checkin);
    emailId = await waitFor(async () => {
      const res = await service.http().get('/api/notifications').query({ bookingReference: 'WALLT1', type: 'boarding-pass' });
      const item = (res.body.items as { id: string; status: string }[])[0];
      return item?.status === 'delivered' ? item.id : undefined;
    }, 30_000, 'the boarding-pass e-mail');

    const detail = (await service.http().get(`/api/notifications/${emailId}`).expect(200)).body as { attachments: { name: string; contentType: string; url: string }[] };
    expect(detail.attachments.map((a) => a.name)).toEqual(['boarding-pass.pdf', 'boarding-pass-qr.png', 'boarding-pass.pkpass']);
    const listed = detail.attachments[2];
    expect(listed.contentType).toBe('application/vnd.apple.pkpass');
    // The read API is guarded like the PDF: no token, no pass.
    await request(service.app.getHttpServer() as App).get(listed.url).expect(401);
    const res = await service.http('viewer').get(listed.url).buffer(true).parse(raw).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.apple.pkpass');

    const { passJson, files } = unpackAndVerify(binary(res), chain.rootPem);
    pass = passJson;
    expect(files).toEqual(expect.arrayContaining(['pass.json', 'manifest.json', 'signature', 'icon.png', 'nl.lproj/pass.strings', 'zh-Hans.lproj/pass.strings', 'en.lproj/pass.strings']));
    expect(pass).toMatchObject({ passTypeIdentifier: chain.passTypeId, webServiceURL: 'https://notifier.example.com/wallet/apple' });
    expect(pass.boardingPass.transitType).toBe('PKTransitTypeAir');
    expect(pass.barcodes[0]).toMatchObject({ format: 'PKBarcodeFormatQR', messageEncoding: 'iso-8859-1' });
    expect(pass.barcodes[0].message).toMatch(/^M1MUELLER\/ZOE/);
    expect(field(pass, 'gate')?.value).toBe('D7');
    expect(field(pass, 'seat')?.value).toBe('8A');
    expect(field(pass, 'boarding')?.value).toBe('2026-12-01T07:55:00+01:00');
    expect(pass.authenticationToken.length).toBeGreaterThanOrEqual(16);

    // The e-mail carried the same pass (the sandbox wrote the attachment beside the message).
    const sent = join(service.env.OUTBOX_DIR, 'email', `${emailId}.boarding-pass.pkpass`);
    expect(existsSync(sent)).toBe(true);
    expect(unpackAndVerify(readFileSync(sent), chain.rootPem).passJson.serialNumber).toBe(pass.serialNumber);
  });

  const pushToken = randomBytes(32).toString('hex');
  const deviceId = `device-${randomBytes(6).toString('hex')}`;
  const registration = () => `/wallet/apple/v1/devices/${deviceId}/registrations/${chain.passTypeId}/${pass.serialNumber}`;
  const applePass = () => `ApplePass ${pass.authenticationToken}`;

  it('denies every pass route without the pass’s own ApplePass token', async () => {
    const passPath = `/wallet/apple/v1/passes/${chain.passTypeId}/${pass.serialNumber}`;
    await wallet().post(registration()).send({ pushToken }).expect(401);
    await wallet().post(registration()).set('Authorization', `ApplePass ${'x'.repeat(43)}`).send({ pushToken }).expect(401);
    await wallet().post(registration()).set('Authorization', `Bearer ${pass.authenticationToken}`).send({ pushToken }).expect(401);
    await wallet().get(passPath).expect(401);
    await wallet().get(passPath).set('Authorization', 'ApplePass wrong-token-wrong-token').expect(401);
    await wallet().get(`/wallet/apple/v1/passes/pass.com.other/${pass.serialNumber}`).set('Authorization', applePass()).expect(401);
    await wallet().delete(registration()).expect(401);
    // Bad input is named.
    const bad = await wallet().post(registration()).set('Authorization', applePass()).send({ pushToken: 'not-hex' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('pushToken');
    expect(await count(service.db, `SELECT 1 FROM apple_wallet_registrations`)).toBe(0);
  });

  let lastModified: string;
  let tag: string;

  it('plays a Wallet device: registers, lists updated serials, fetches the pass, 304 when unchanged', async () => {
    await wallet().post(registration()).set('Authorization', applePass()).send({ pushToken }).expect(201);
    await wallet().post(registration()).set('Authorization', applePass()).send({ pushToken }).expect(200);

    const serials = await wallet().get(`/wallet/apple/v1/devices/${deviceId}/registrations/${chain.passTypeId}`).expect(200);
    expect(serials.body.serialNumbers).toEqual([pass.serialNumber]);
    tag = serials.body.lastUpdated as string;
    expect(tag).toMatch(/^\d+$/);
    await wallet().get(`/wallet/apple/v1/devices/${deviceId}/registrations/${chain.passTypeId}`).query({ passesUpdatedSince: tag }).expect(204);
    await wallet().get(`/wallet/apple/v1/devices/unknown-device/registrations/${chain.passTypeId}`).expect(204);

    const fetched = await wallet().get(`/wallet/apple/v1/passes/${chain.passTypeId}/${pass.serialNumber}`).set('Authorization', applePass()).buffer(true).parse(raw).expect(200);
    expect(fetched.headers['content-type']).toBe('application/vnd.apple.pkpass');
    lastModified = fetched.headers['last-modified'] as string;
    expect(Date.parse(lastModified)).not.toBeNaN();
    expect(unpackAndVerify(binary(fetched), chain.rootPem).passJson.serialNumber).toBe(pass.serialNumber);
    await wallet().get(`/wallet/apple/v1/passes/${chain.passTypeId}/${pass.serialNumber}`).set('Authorization', applePass()).set('If-Modified-Since', lastModified).expect(304);

    await wallet().post('/wallet/apple/v1/log').send({ logs: ['Web service error for pass.com.example: 503'] }).expect(200);
  });

  const goneToken = randomBytes(32).toString('hex');
  const goneDevice = `device-${randomBytes(6).toString('hex')}`;

  it('a gate change re-issues the pass and pushes to the device once, with two replicas; the next fetch has the new gate', async () => {
    replica = await startService(service.env);
    // A second phone holds the pass too, but its app was deleted: APNs answers 410 and its registration goes.
    await wallet().post(`/wallet/apple/v1/devices/${goneDevice}/registrations/${chain.passTypeId}/${pass.serialNumber}`).set('Authorization', applePass()).send({ pushToken: goneToken }).expect(201);
    apns.script(goneToken, { status: 410, reason: 'Unregistered' });
    const drained = () => waitFor(async () => (await count(service.db, `SELECT 1 FROM apple_wallet_pushes`)) === 0, 30_000, 'the push queue drained');
    // The first gate the flight gets is a change of the pass too (it had none); whether its push goes out
    // before the next snapshot depends on when a replica polls, so the count starts after it.
    await publishApplied(service, flightStatus(seg, 1, { departureGate: 'D7' }));
    await drained();
    const before = apns.receivedBy(pushToken).length;
    await publishApplied(service, flightStatus(seg, 2, { departureGate: 'E12' }));

    const pushed = await waitFor(async () => apns.receivedBy(pushToken)[before], 30_000, 'the pass update push');
    expect(pushed.headers['apns-topic']).toBe(chain.passTypeId);
    expect(pushed.payload).toEqual({});
    // Sent once: the queue row is gone (claimed by one replica, deleted after APNs accepted it) and one push arrived.
    await drained();
    expect(apns.receivedBy(pushToken)).toHaveLength(before + 1);
    expect(apns.receivedBy(goneToken)).toHaveLength(1);
    expect(await count(service.db, `SELECT 1 FROM apple_wallet_registrations WHERE device_library_id = $1`, [goneDevice])).toBe(0);

    // What Wallet does on the push: the serials updated since its tag, then the pass.
    const serials = await wallet().get(`/wallet/apple/v1/devices/${deviceId}/registrations/${chain.passTypeId}`).query({ passesUpdatedSince: tag }).expect(200);
    expect(serials.body.serialNumbers).toEqual([pass.serialNumber]);
    expect(BigInt(serials.body.lastUpdated as string)).toBeGreaterThan(BigInt(tag));
    const fetched = await wallet().get(`/wallet/apple/v1/passes/${chain.passTypeId}/${pass.serialNumber}`).set('Authorization', applePass()).set('If-Modified-Since', lastModified).buffer(true).parse(raw).expect(200);
    expect(Date.parse(fetched.headers['last-modified'] as string)).toBeGreaterThan(Date.parse(lastModified));
    const updated = unpackAndVerify(binary(fetched), chain.rootPem).passJson;
    expect(field(updated, 'gate')?.value).toBe('E12');
    expect(updated.semantics.departureGate).toBe('E12');
    // Same pass, same token: the device keeps talking to us with it.
    expect(updated.authenticationToken).toBe(pass.authenticationToken);
  });

  it('a new seat from a later check-in re-issues the pass with its next boarding pass; the gate stays the new one', async () => {
    const again = checkinCompleted({
      bookingReference: 'WALLT1', passengerId: 'P1', segmentId: 'SEG-1', seat: '14C', sequenceNumber: 12,
      compartment: 'Y', boardingGroup: '2', boardingTime: '2026-12-01T06:55:00Z', checkedInAt: '2026-11-30T11:40:00Z',
    });
    const before = apns.receivedBy(pushToken).length;
    await service.publisher.publish(again.type, again);
    await waitFor(async () => apns.receivedBy(pushToken).length === before + 1 || undefined, 30_000, 'the seat change push');
    const fetched = await wallet().get(`/wallet/apple/v1/passes/${chain.passTypeId}/${pass.serialNumber}`).set('Authorization', applePass()).buffer(true).parse(raw).expect(200);
    const moved = unpackAndVerify(binary(fetched), chain.rootPem).passJson;
    expect(field(moved, 'seat')?.value).toBe('14C');
    expect(field(moved, 'gate')?.value).toBe('E12');
    expect(moved.serialNumber).toBe(pass.serialNumber);
  });

  it("a cancelled flight's pass says so, and the device is told", async () => {
    // Counted from here: how many pushes came before depends on when the replicas polled the queue.
    const before = apns.receivedBy(pushToken).length;
    await publishApplied(service, flightStatus(seg, 3, { status: 'CANCELLED', departureGate: 'E12' }));
    await waitFor(async () => apns.receivedBy(pushToken).length > before || undefined, 30_000, 'the cancellation push');
    // The push queued with the cancellation went out (not only one left over from the seat change).
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM apple_wallet_pushes`)) === 0, 30_000, 'the push queue drained');
    const fetched = await wallet().get(`/wallet/apple/v1/passes/${chain.passTypeId}/${pass.serialNumber}`).set('Authorization', applePass()).buffer(true).parse(raw).expect(200);
    const cancelled = unpackAndVerify(binary(fetched), chain.rootPem).passJson;
    expect(cancelled.boardingPass.headerFields[0]).toEqual({ key: 'status', value: 'status.cancelled' });
    expect(cancelled.semantics.transitStatus).toBe('Cancelled');
  });

  it('unregisters: the device no longer lists the pass', async () => {
    await wallet().delete(registration()).set('Authorization', applePass()).expect(200);
    await wallet().get(`/wallet/apple/v1/devices/${deviceId}/registrations/${chain.passTypeId}`).expect(204);
    expect(await count(service.db, `SELECT 1 FROM apple_wallet_registrations WHERE device_library_id = $1`, [deviceId])).toBe(0);
  });

  it('erasing the booking deletes its pass: Wallet then gets 401 for it', async () => {
    await wallet().post(registration()).set('Authorization', applePass()).send({ pushToken }).expect(201);
    await service.http().post('/api/bookings/WALLT1/erase').expect(200);
    expect(await count(service.db, `SELECT 1 FROM apple_wallet_passes WHERE booking_reference = 'WALLT1'`)).toBe(0);
    expect(await count(service.db, `SELECT 1 FROM apple_wallet_registrations WHERE serial_number = $1`, [pass.serialNumber])).toBe(0);
    await wallet().get(`/wallet/apple/v1/passes/${chain.passTypeId}/${pass.serialNumber}`).set('Authorization', applePass()).expect(401);
  });
});

/** supertest: the body as a Buffer, whatever the content type. */
function raw(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('Apple Wallet pass updates with certificate-based APNs authentication (no push channel token key)', () => {
  const chain = makeWalletTestChain('pass.com.example.airline.cert');
  let apns: ApnsContractServer;
  beforeAll(async () => {
    // APNs trusts Apple's CAs for client certificates; here the test chain's root and intermediate.
    apns = (await new ApnsContractServer(`${chain.rootPem}\n${chain.wwdrPem}`).start()).acceptPassUpdates(chain.passTypeId);
  });
  const service = useTestService(() => ({
    ...appleWalletEnv(chain),
    APNS_BASE_URL: apns.origin,
    APNS_CA_CERT: apns.caCert,
    PROVIDER_TIMEOUT_MS: '3000',
  }));
  afterAll(async () => apns?.close());
  afterEach(() => expect(apns.violations).toEqual([]));

  it('pushes the update over a connection authenticated by the pass type certificate', async () => {
    const seg = segment({ flightNumber: '1907', destination: 'BRU' });
    await publishApplied(
      service,
      bookingSnapshot('booking.confirmed', {
        bookingReference: 'WALLT2',
        passengers: [passenger({ passengerId: 'P1', locale: 'en', contacts: { email: 'pax@example.com' }, consents: [{ channel: 'email', granted: true }] })],
        segments: [seg],
      }),
    );
    const checkin = checkinCompleted({ bookingReference: 'WALLT2', passengerId: 'P1', segmentId: 'SEG-1', seat: '3C', sequenceNumber: 4, compartment: 'Y', gate: 'B2', checkedInAt: '2026-11-30T08:00:00Z' });
    await service.publisher.publish(checkin.type, checkin);
    const id = await waitFor(async () => {
      const res = await service.http().get('/api/notifications').query({ bookingReference: 'WALLT2', type: 'boarding-pass' });
      const item = (res.body.items as { id: string; status: string }[])[0];
      return item?.status === 'delivered' ? item.id : undefined;
    }, 30_000, 'the boarding-pass e-mail');
    const pkpass = await service.http('viewer').get(`/api/notifications/${id}/attachments/boarding-pass.pkpass`).buffer(true).parse(raw).expect(200);
    const pass = unpackAndVerify(binary(pkpass), chain.rootPem).passJson;

    const token = randomBytes(32).toString('hex');
    await request(service.app.getHttpServer() as App)
      .post(`/wallet/apple/v1/devices/dev-cert-1/registrations/${chain.passTypeId}/${pass.serialNumber}`)
      .set('Authorization', `ApplePass ${pass.authenticationToken}`)
      .send({ pushToken: token })
      .expect(201);
    await publishApplied(service, flightStatus(seg, 1, { departureGate: 'B2' }));
    await publishApplied(service, flightStatus(seg, 2, { departureGate: 'B9' }));
    const pushed = await waitFor(async () => apns.receivedBy(token)[0], 30_000, 'the pass update push');
    expect(pushed.headers['apns-topic']).toBe(chain.passTypeId);
    expect(pushed.headers.authorization).toBeUndefined();
    expect(pushed.payload).toEqual({});
  });
});
