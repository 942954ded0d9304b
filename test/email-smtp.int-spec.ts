import { createServer } from 'node:net';
import { encodeBcbp } from '../src/boarding-passes/bcbp-encoder';
import { bcbpQrPng } from '../src/boarding-passes/bcbp-qr';
import { renderBoardingPassPdf } from '../src/boarding-passes/boarding-pass-pdf';
import { sampleBoardingPassData, sampleBoardingPassView } from '../src/boarding-passes/boarding-pass.sample';
import type { OutboundMessage } from '../src/channels/channel-adapter';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { SmtpEmailAdapter } from '../src/channels/email/smtp-email.adapter';
import { loadConfig } from '../src/config/app-config';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { SmtpTestServer } from './support/smtp-test-server';
import { waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

const NOTIFICATION_ID = '0b7e8f1c-6a55-4f7e-8d2a-3c9b1e2f4a10';

function email(attachments: OutboundMessage['attachments'] = [], overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    notificationId: NOTIFICATION_ID,
    type: 'boarding-pass',
    channel: 'email',
    recipient: 'zoe.mueller@example.com',
    locale: 'de',
    content: {
      locale: 'de',
      subject: 'Ihre Bordkarte für KL 1234 – Sitz 12A',
      html: '<html><body><h1>Gute Reise, Zoë!</h1><p>Flug <b>KL 1234</b> AMS → CDG, Sitz 12A.</p></body></html>',
      text: 'Gute Reise, Zoë! Flug KL 1234 AMS → CDG, Sitz 12A.',
    },
    context: { type: 'boarding-pass', locale: 'de', passenger: { givenName: 'Zoë', surname: 'Müller' }, booking: { reference: 'ABC123' } },
    attachments,
    correlationId: '/check-in#e1',
    ...overrides,
  };
}

describe('SmtpEmailAdapter against a real SMTP server', () => {
  const adapters: SmtpEmailAdapter[] = [];
  const servers: SmtpTestServer[] = [];
  const adapterFor = (smtpUrl: string, env: Record<string, string> = {}) => {
    const adapter = new SmtpEmailAdapter(
      loadConfig({ CHANNEL_EMAIL: 'smtp', SMTP_URL: smtpUrl, EMAIL_FROM: 'KLM Flight News <news@flights.example.com>', EMAIL_RATE_PER_SECOND: '7', ...env }),
    );
    adapters.push(adapter);
    return adapter;
  };
  const serverWith = async (options: ConstructorParameters<typeof SmtpTestServer>[0] = {}) => {
    const server = await new SmtpTestServer(options).start();
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    for (const adapter of adapters) adapter.close();
    for (const server of servers) await server.close();
  });

  it('sends subject, HTML and text parts and the boarding-pass attachments, with our Message-ID', async () => {
    const server = await serverWith();
    const bcbp = encodeBcbp(sampleBoardingPassData());
    const [pdf, png] = await Promise.all([renderBoardingPassPdf(sampleBoardingPassView(), 'de', bcbp), bcbpQrPng(bcbp)]);
    const adapter = adapterFor(server.url());
    const result = await adapter.send(
      email([
        { name: 'boarding-pass.pdf', contentType: 'application/pdf', content: pdf },
        { name: 'boarding-pass-qr.png', contentType: 'image/png', content: png },
      ]),
    );

    expect(result).toEqual({
      outcome: 'delivered',
      providerMessageId: `<${NOTIFICATION_ID}@flight-notifier>`,
      detail: { smtpResponse: expect.stringContaining('250') },
    });
    expect(server.received).toHaveLength(1);
    const [{ envelope, parsed }] = server.received;
    expect(envelope).toEqual({ from: 'news@flights.example.com', to: ['zoe.mueller@example.com'] });
    expect(parsed.messageId).toBe(`<${NOTIFICATION_ID}@flight-notifier>`);
    expect(parsed.subject).toBe('Ihre Bordkarte für KL 1234 – Sitz 12A');
    expect(parsed.from?.value).toEqual([{ address: 'news@flights.example.com', name: 'KLM Flight News' }]);
    expect(parsed.html).toContain('<h1>Gute Reise, Zoë!</h1>');
    expect(parsed.text?.trim()).toBe('Gute Reise, Zoë! Flug KL 1234 AMS → CDG, Sitz 12A.');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    const attachments = parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType }));
    expect(attachments).toEqual([
      { filename: 'boarding-pass.pdf', contentType: 'application/pdf' },
      { filename: 'boarding-pass-qr.png', contentType: 'image/png' },
    ]);
    expect(Buffer.compare(parsed.attachments[0].content, pdf)).toBe(0);
    expect(parsed.attachments[0].content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(Buffer.compare(parsed.attachments[1].content, png)).toBe(0);
  });

  it('sends a retry with the same Message-ID, so the two can be recognised as one', async () => {
    const server = await serverWith();
    const adapter = adapterFor(server.url());
    await adapter.send(email());
    await adapter.send(email());
    expect(server.received.map((m) => m.parsed.messageId)).toEqual([`<${NOTIFICATION_ID}@flight-notifier>`, `<${NOTIFICATION_ID}@flight-notifier>`]);
  });

  it('takes its send rate from EMAIL_RATE_PER_SECOND', async () => {
    const server = await serverWith();
    expect(adapterFor(server.url()).ratePerSecond).toBe(7);
  });

  it('fails for good when the server answers 550 (mailbox unavailable), masking the address', async () => {
    const server = await serverWith({ rejectRecipient: { code: 550, message: '5.1.1 <zoe.mueller@example.com>: Mailbox unavailable' } });
    const result = await adapterFor(server.url()).send(email());
    expect(result).toMatchObject({ outcome: 'permanent', code: 'smtp-550' });
    expect(JSON.stringify(result)).not.toContain('zoe.mueller@example.com');
    expect(server.received).toHaveLength(0);
  });

  it('fails for good on 553 (bad address)', async () => {
    const server = await serverWith({ rejectRecipient: { code: 553, message: '5.1.3 Bad recipient address syntax' } });
    expect(await adapterFor(server.url()).send(email())).toMatchObject({ outcome: 'permanent', code: 'smtp-553' });
  });

  it('retries when the server answers 451, for the recipient or after the data', async () => {
    const server = await serverWith({ rejectRecipient: { code: 451, message: '4.3.0 Mailbox temporarily unavailable, try again later' } });
    const adapter = adapterFor(server.url());
    expect(await adapter.send(email())).toMatchObject({ outcome: 'retryable', code: 'smtp-451' });
    server.options.rejectRecipient = undefined;
    server.options.rejectData = { code: 451, message: '4.7.1 Greylisted, come back later' };
    expect(await adapter.send(email())).toMatchObject({ outcome: 'retryable', code: 'smtp-451' });
    // The pooled connection survives both refusals and delivers once the server is willing.
    server.options.rejectData = undefined;
    expect(await adapter.send(email())).toMatchObject({ outcome: 'delivered' });
  });

  it('pauses the channel when the server refuses our login (535), and logs in with the right credentials', async () => {
    const credentials = { user: 'notifier', pass: 'right-password' };
    const server = await serverWith({ credentials });
    expect(await adapterFor(server.url({ user: 'notifier', pass: 'wrong-password' })).send(email())).toMatchObject({ outcome: 'paused', code: 'smtp-535' });
    expect(await adapterFor(server.url(credentials)).send(email())).toMatchObject({ outcome: 'delivered' });
    expect(server.authAttempts).toEqual(['notifier', 'notifier']);
  });

  it('retries when the server cannot be reached', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    expect(await adapterFor(`smtp://127.0.0.1:${closedPort}`).send(email())).toMatchObject({ outcome: 'retryable' });
  });
});

describe('e-mail through the pipeline over SMTP', () => {
  let smtp: SmtpTestServer;
  let adapter: SmtpEmailAdapter;

  beforeAll(async () => {
    smtp = await new SmtpTestServer().start();
  });
  const service = useTestService(() => ({ CHANNEL_EMAIL: 'smtp', SMTP_URL: smtp.url() }));
  beforeAll(() => {
    // Until ChannelRegistry honours CHANNEL_EMAIL=smtp by itself, put the adapter on the channel (harmless after).
    adapter = new SmtpEmailAdapter(service.config);
    service.app.get(ChannelRegistry).use('email', adapter);
  });
  afterAll(async () => {
    adapter?.close();
    await smtp?.close();
  });

  it('delivers a rendered booking confirmation with its Message-ID as the provider id', async () => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: 'E2EMAL',
      passengers: [passenger({ passengerId: 'PAX-1', locale: 'nl-NL', consents: [{ channel: 'email', granted: true, at: '2026-11-20T10:00:00Z' }] })],
      segments: [segment({ flightNumber: '7001' })],
    });
    await service.publisher.publish(event.type, event);
    const row = await waitFor(async () => {
      const rows: { id: string; status: string; provider_message_id: string }[] = await service.db.query(
        `SELECT id, status, provider_message_id FROM notifications WHERE booking_reference = 'E2EMAL' AND channel = 'email'`,
      );
      return rows[0]?.status === 'delivered' ? rows[0] : undefined;
    }, 15_000, 'the e-mail accepted by the SMTP server');
    expect(row.provider_message_id).toBe(`<${row.id}@flight-notifier>`);
    const mail = smtp.received.find((m) => m.parsed.messageId === row.provider_message_id);
    expect(mail?.envelope.to).toEqual(['luc@example.com']);
    expect(mail?.parsed.subject).toEqual(expect.any(String));
    expect(mail?.parsed.html).toContain('E2EMAL');
    expect(mail?.parsed.text).toContain('E2EMAL');
  });
});
