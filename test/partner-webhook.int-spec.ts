import { createServer } from 'node:net';
import type { OutboundMessage } from '../src/channels/channel-adapter';
import { partnerSignature } from '../src/channels/webhook/partner-signature';
import { PartnerWebhookAdapter } from '../src/channels/webhook/partner-webhook.adapter';
import { loadConfig } from '../src/config/app-config';
import type { RenderContext } from '../src/vocabulary/render-context';
import { PartnerReceiver } from './support/partner-receiver';
import { sampleFlight, sampleRenderContext } from '../src/rendering/render-context.sample';

const SECRET = 'crm-shared-secret-7f3a9c';
const NOTIFICATION_ID = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

const context: RenderContext = sampleRenderContext({
  type: 'gate-change',
  passenger: { givenName: 'Luc', surname: 'Desmarais', title: 'MR' },
  booking: { reference: 'PTR001' },
  flight: sampleFlight({ departureGate: 'D9' }),
  previous: { departureGate: 'D7' },
});

function webhook(partner: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    notificationId: NOTIFICATION_ID,
    type: 'gate-change',
    channel: 'webhook',
    recipient: partner,
    locale: 'nl-NL',
    content: { locale: 'nl-NL', text: JSON.stringify(context) },
    context,
    attachments: [],
    correlationId: '/flight-operations#e9',
    ...overrides,
  };
}

describe('PartnerWebhookAdapter against a partner that verifies signatures', () => {
  let crm: PartnerReceiver;
  let agency: PartnerReceiver;
  let adapter: PartnerWebhookAdapter;
  let deadUrl: string;

  beforeAll(async () => {
    crm = await new PartnerReceiver(SECRET).start();
    agency = await new PartnerReceiver('agency-secret-0123456789').start();
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    deadUrl = `http://127.0.0.1:${closedPort}/hook`;
    adapter = new PartnerWebhookAdapter(
      loadConfig({
        PROVIDER_TIMEOUT_MS: '3000',
        PARTNER_WEBHOOKS: JSON.stringify([
          { name: 'crm', url: crm.url, secret: SECRET },
          // The agency was given a different secret than the one we sign with: it answers 401.
          { name: 'agency', url: agency.url, secret: 'we-think-the-secret-is-this' },
          { name: 'gates-only', url: crm.url, secret: SECRET, types: ['gate-change'] },
          { name: 'cancellations-only', url: crm.url, secret: SECRET, types: ['flight-cancellation'] },
          { name: 'gone', url: deadUrl, secret: SECRET },
        ]),
      }),
    );
  });

  afterAll(async () => {
    await crm?.close();
    await agency?.close();
  });

  it('posts the signed JSON body and is delivered on 2xx', async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = await adapter.send(webhook('crm'));
    expect(result).toEqual({ outcome: 'delivered', providerMessageId: NOTIFICATION_ID, detail: { partner: 'crm', httpStatus: 204 } });

    const received = crm.received.at(-1);
    expect(received?.signatureValid).toBe(true);
    expect(received?.path).toBe('/hooks/flight-news');
    expect(received?.headers['content-type']).toBe('application/json');
    expect(received?.headers['idempotency-key']).toBe(NOTIFICATION_ID);
    const timestamp = Number(received?.headers['x-notifier-timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(received?.headers['x-notifier-signature']).toBe(`v1=${partnerSignature(SECRET, String(timestamp), received?.rawBody ?? '')}`);
    expect(received?.body).toEqual({
      id: NOTIFICATION_ID,
      type: 'gate-change',
      bookingReference: 'PTR001',
      locale: 'nl-NL',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: context,
    });
  });

  it('sends nothing when the partner does not take this type, and delivers when it does', async () => {
    const before = crm.received.length;
    expect(await adapter.send(webhook('cancellations-only'))).toMatchObject({ outcome: 'permanent', code: 'type-not-subscribed' });
    expect(crm.received.length).toBe(before);
    expect(await adapter.send(webhook('gates-only'))).toMatchObject({ outcome: 'delivered' });
  });

  it('a partner that refuses our signature (401) fails that notification for good, never pauses the channel', async () => {
    const result = await adapter.send(webhook('agency'));
    expect(agency.received.at(-1)?.signatureValid).toBe(false);
    expect(result).toMatchObject({ outcome: 'permanent', code: 'partner-auth-rejected', message: expect.stringContaining('agency') });
    crm.answerNext({ status: 403 });
    expect(await adapter.send(webhook('crm'))).toMatchObject({ outcome: 'permanent', code: 'partner-auth-rejected' });
  });

  it('retries 408, 429 and 5xx, honouring Retry-After', async () => {
    crm.answerNext({ status: 503, headers: { 'Retry-After': '20' } }, { status: 429, headers: { 'Retry-After': '5' } }, { status: 408 });
    expect(await adapter.send(webhook('crm'))).toMatchObject({ outcome: 'retryable', code: 'http-503', retryAfterMs: 20_000 });
    expect(await adapter.send(webhook('crm'))).toMatchObject({ outcome: 'retryable', code: 'http-429', retryAfterMs: 5_000 });
    expect(await adapter.send(webhook('crm'))).toMatchObject({ outcome: 'retryable', code: 'http-408' });
  });

  it('gives up on other 4xx answers', async () => {
    crm.answerNext({ status: 422, body: 'unknown booking' });
    expect(await adapter.send(webhook('crm'))).toEqual({ outcome: 'permanent', code: 'http-422', message: 'partner crm rejected the webhook (HTTP 422): unknown booking' });
  });

  it('does not follow a redirect', async () => {
    crm.answerNext({ status: 307, headers: { Location: 'http://127.0.0.1:9/elsewhere' } });
    expect(await adapter.send(webhook('crm'))).toMatchObject({ outcome: 'permanent', code: 'http-307' });
  });

  it('retries when the partner is slow or unreachable', async () => {
    crm.answerNext({ delayMs: 10_000, status: 204 });
    expect(await adapter.send(webhook('crm'))).toMatchObject({ outcome: 'retryable', code: 'timeout' });
    expect(await adapter.send(webhook('gone'))).toMatchObject({ outcome: 'retryable', code: 'network-error' });
  });

  it('fails for good for a partner it does not know, and has no send rate of its own', async () => {
    expect(await adapter.send(webhook('nobody'))).toMatchObject({ outcome: 'permanent', code: 'unknown-partner' });
    expect(adapter.ratePerSecond).toBeUndefined();
    expect(adapter.name).toBe('partner-webhook');
  });

  it("the partner's check refuses a replay of a captured request after the tolerance", async () => {
    await adapter.send(webhook('crm'));
    const captured = crm.received.at(-1);
    const later = new PartnerReceiver(SECRET, () => Date.now() + 6 * 60_000);
    await later.start();
    try {
      const replay = await fetch(later.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Notifier-Timestamp': String(captured?.headers['x-notifier-timestamp']),
          'X-Notifier-Signature': String(captured?.headers['x-notifier-signature']),
        },
        body: captured?.rawBody,
      });
      expect(replay.status).toBe(401);
      expect(later.received[0].signatureValid).toBe(false);
    } finally {
      await later.close();
    }
  });
});
