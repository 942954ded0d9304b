import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { verifyBcbpSignature } from '../src/boarding-passes/bcbp-signature';
import { bookingSnapshot, checkinCompleted, passenger, segment } from '../src/demo/sample-events';
import { waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

describe('boarding passes delivered with the boarding-pass notification', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  const service = useTestService({
      BCBP_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      AIRLINE_NAMES: '{"KL":"KLM Royal Dutch Airlines"}',
    });

  it('attaches the QR and the PDF on every channel that can carry them, served by the read API', async () => {
    const seg = segment({ flightNumber: '1733', destination: 'BRU' });
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'BPASS1',
      passengers: [
        passenger({
          passengerId: 'P1',
          givenName: 'Zoë',
          surname: 'Müller',
          title: 'MS',
          locale: 'nl-NL',
          contacts: { whatsapp: '+31612345678', sms: '+31612345678', email: 'zoe@example.com' },
          consents: [{ channel: 'email', granted: true }, { channel: 'whatsapp', granted: true }, { channel: 'sms', granted: true }],
        }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(booking.type, booking);
    const checkin = checkinCompleted({
      bookingReference: 'BPASS1', passengerId: 'P1', segmentId: 'SEG-1', seat: '8A', sequenceNumber: 1,
      compartment: 'Y', boardingGroup: '2', boardingTime: '2026-12-01T06:55:00Z', gate: 'D7', checkedInAt: '2026-11-30T09:12:00Z',
    });
    await service.publisher.publish(checkin.type, checkin);

    const items = await waitFor(async () => {
      const res = await service.http().get('/api/notifications').query({ bookingReference: 'BPASS1', type: 'boarding-pass' });
      const list = res.body.items as { id: string; channel: string; status: string }[];
      return list.length === 3 && list.every((i) => i.status === 'delivered') ? list : undefined;
    });
    const byChannel = Object.fromEntries(items.map((i) => [i.channel, i.id]));

    const email = (await service.http().get(`/api/notifications/${byChannel.email}`).expect(200)).body;
    expect(email.attachments.map((a: { name: string }) => a.name)).toEqual(['boarding-pass.pdf', 'boarding-pass-qr.png']);
    const sms = (await service.http().get(`/api/notifications/${byChannel.sms}`).expect(200)).body;
    expect(sms.attachments).toEqual([]);
    const whatsapp = (await service.http().get(`/api/notifications/${byChannel.whatsapp}`).expect(200)).body;
    expect(whatsapp.attachments.map((a: { name: string }) => a.name)).toEqual(['boarding-pass.pdf']);

    // The operator view decodes what the bar code says.
    expect(email.boardingPass).toMatchObject({ passengerName: 'MUELLER/ZOEMS', legs: [expect.objectContaining({ seat: '008A', flightNumber: '1733', from: 'AMS', to: 'BRU', airlineNumericCode: '074' })] });

    const qr = await service.http().get(email.attachments[1].url).buffer(true).expect(200);
    expect(qr.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(qr.body as Buffer);
    const scanned = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(scanned?.data).toMatch(/^M1MUELLER\/ZOEMS/);
    expect(verifyBcbpSignature(scanned!.data, publicKey)).toBe(true);

    const pdf = await service.http().get(email.attachments[0].url).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    // Re-generated, not stored: the same bytes every time, and the same the sandbox wrote beside the message.
    const again = await service.http().get(email.attachments[0].url).buffer(true).expect(200);
    expect(Buffer.compare(again.body as Buffer, pdf.body as Buffer)).toBe(0);
    const written = readFileSync(join(service.config.OUTBOX_DIR, 'email', `${byChannel.email}.boarding-pass.pdf`));
    expect(Buffer.compare(written, pdf.body as Buffer)).toBe(0);
    expect(existsSync(join(service.config.OUTBOX_DIR, 'email', `${byChannel.email}.boarding-pass-qr.png`))).toBe(true);
    expect(existsSync(join(service.config.OUTBOX_DIR, 'sms', `${byChannel.sms}.boarding-pass.pdf`))).toBe(false);

    await service.http().get(`/api/notifications/${byChannel.email}/attachments/nothing.pdf`).expect(404);
  });
});
