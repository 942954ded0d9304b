import { randomBytes } from 'node:crypto';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import amqplib, { ChannelModel, ConfirmChannel } from 'amqplib';
import { Client } from 'pg';
import { twilioSignature } from '../src/channels/twilio/twilio-signature';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { tracingActive } from '../src/tracing/spans';
import { TracingService } from '../src/tracing/tracing.service';
import { OtlpReceiver, ReceivedSpan } from './support/otlp-receiver';
import { AMQP_URL } from './support/servers';
import { freePort, ServiceProcess } from './support/service-process';
import { TwilioContractServer } from './support/twilio-contract-server';
import { createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

const PUBLIC_BASE_URL = 'https://notify.example.test';
// The patterns src/common/mask.ts masks in log lines: no span attribute may hold either.
const PHONE = /\+[1-9]\d{6,14}/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** A producer's span: what its `traceparent` names. */
function producerSpan() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/** A booking whose one passenger consented to SMS (Twilio, HTTP) and e-mail (sandbox). */
function booking(reference: string, phone: string, email: string) {
  return bookingSnapshot('booking.confirmed', {
    bookingReference: reference,
    passengers: [
      passenger({
        passengerId: 'PAX-1',
        contacts: { sms: phone, email },
        consents: [
          { channel: 'sms', granted: true, at: '2026-11-20T10:00:00Z' },
          { channel: 'email', granted: true, at: '2026-11-20T10:00:00Z' },
        ],
      }),
    ],
    segments: [segment({ flightNumber: String(7000 + Math.floor(Math.random() * 999)) })],
  });
}

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let receiver: OtlpReceiver;
  let environment: TestEnvironment;
  let service: TestService;

  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    environment = await createTestEnvironment();
    service = await startService(environment.env);
  });

  let closed = false;
  afterAll(async () => {
    if (!closed) await service?.close();
    await environment?.dispose();
    await receiver?.close();
  });

  it('starts no SDK, leaves the API on its no-op tracer, and exports nothing', async () => {
    expect(service.app.get(TracingService).enabled).toBe(false);
    expect(tracingActive()).toBe(false);
    // No tracer provider registered: spans from the global API are non-recording no-ops ...
    const probe = trace.getTracer('probe').startSpan('probe');
    expect(probe.isRecording()).toBe(false);
    // ... and no context manager either: a context set with `with` is not seen inside it.
    expect(context.with(trace.setSpan(ROOT_CONTEXT, probe), () => trace.getActiveSpan())).toBeUndefined();

    const event = booking('TRCOFF', '+31622230001', 'no.trace@example.com');
    await service.publisher.publish(event.type, { ...event, traceparent: producerSpan().traceparent });
    const rows = await waitFor(async () => {
      const found: { status: string; trace_context: unknown }[] = await service.db.query(
        `SELECT status, trace_context FROM notifications WHERE booking_reference = 'TRCOFF'`,
      );
      return found.length === 2 && found.every((r) => r.status === 'delivered') ? found : undefined;
    }, 20_000, 'both notifications delivered');
    expect(rows.map((r) => r.trace_context)).toEqual([null, null]);

    // Closing would flush an SDK's queue; there is none, so nothing ever reaches the collector.
    await service.close();
    closed = true;
    expect(receiver.requests).toEqual([]);
  });
});

describe('tracing on (a service process exporting OTLP/HTTP JSON to a local collector)', () => {
  let receiver: OtlpReceiver;
  let twilio: TwilioContractServer;
  let environment: TestEnvironment;
  let service: ServiceProcess;
  let db: Client;
  let broker: ChannelModel;
  let channel: ConfirmChannel;

  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    twilio = await new TwilioContractServer().start();
    environment = await createTestEnvironment({
      CHANNEL_SMS: 'twilio',
      ...twilio.env(PUBLIC_BASE_URL),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'flight-notifier-under-test',
      LOG_LEVEL: 'log',
    });
    service = new ServiceProcess({ env: environment.env, port: await freePort() });
    await service.start();
    db = new Client({ connectionString: environment.env.DATABASE_URL });
    await db.connect();
    broker = await amqplib.connect(AMQP_URL);
    channel = await broker.createConfirmChannel();
  });

  afterAll(async () => {
    await service?.stop();
    await channel?.close();
    await broker?.close();
    await db?.end();
    await environment?.dispose();
    await twilio?.close();
    await receiver?.close();
  });

  const spansOf = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
  const one = (spans: ReceivedSpan[], what: string, match: (s: ReceivedSpan) => boolean): ReceivedSpan => {
    const found = spans.filter(match);
    if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
    return found[0];
  };

  async function publish(event: { type: string; [attribute: string]: unknown }, headers: Record<string, string> = {}): Promise<void> {
    channel.publish(environment.env.AMQP_EXCHANGE, event.type, Buffer.from(JSON.stringify(event)), {
      persistent: true,
      contentType: 'application/cloudevents+json',
      headers,
    });
    await channel.waitForConfirms();
  }

  async function notificationsOf(reference: string, count: number) {
    return waitFor(async () => {
      const { rows } = await db.query<{ id: string; channel: string; status: string; provider_message_id: string | null }>(
        `SELECT id, channel, status, provider_message_id FROM notifications WHERE booking_reference = $1 ORDER BY channel`,
        [reference],
      );
      return rows.length === count && rows.every((r) => r.status === 'sent' || r.status === 'delivered') ? rows : undefined;
    }, 30_000, `${count} notifications of ${reference} sent`);
  }

  /** Twilio's status callback: form-encoded, signed over the public URL with the auth token. */
  function statusCallback(params: Record<string, string>): Promise<Response> {
    return fetch(`${service.url}/webhooks/twilio/status`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': twilioSignature(twilio.authToken, `${PUBLIC_BASE_URL}/webhooks/twilio/status`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  it('continues the CloudEvent traceparent through consume, plan, claim, render, the provider call and the status webhook', async () => {
    expect(service.output.some((line) => line.includes(`traces exported to ${receiver.origin}/v1/traces (http/json`))).toBe(true);
    const producer = producerSpan();
    const phone = '+31622230077';
    const email = 'traced.passenger@example.com';
    const event = booking('TRCON1', phone, email);
    // The CloudEvents distributed-tracing extension: traceparent as an extension attribute of the event.
    await publish({ ...event, traceparent: producer.traceparent, tracestate: 'airline=booking' });
    const [email_, sms] = await notificationsOf('TRCON1', 2);
    expect([email_.channel, sms.channel]).toEqual(['email', 'sms']);

    // The status callback Twilio makes later: a request of its own (SERVER span).
    const answer = await statusCallback({ MessageSid: sms.provider_message_id!, MessageStatus: 'delivered', AccountSid: twilio.accountSid, To: phone });
    expect(answer.status).toBe(200);

    const deliverSpan = (id: string) => (s: ReceivedSpan) => s.name.startsWith('deliver ') && s.attributes['notifier.notification.id'] === id;
    const webhookSpan = (s: ReceivedSpan) => s.kind === 'server' && s.attributes['http.route'] === '/webhooks/twilio/status';
    await waitFor(
      async () => [sms.id, email_.id].every((id) => spansOf(producer.traceId).some(deliverSpan(id))) && receiver.spans.some(webhookSpan),
      30_000,
      'deliver and webhook spans exported',
    );
    const spans = spansOf(producer.traceId);

    // consume: a child of the producer's span, in the producer's trace, per the messaging conventions.
    const consume = one(spans, 'consume span', (s) => s.kind === 'consumer');
    expect(consume.parentSpanId).toBe(producer.spanId);
    expect(consume.name).toBe(`process ${environment.env.AMQP_EXCHANGE}`);
    expect(consume.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'process',
      'messaging.destination.name': environment.env.AMQP_EXCHANGE,
      'messaging.rabbitmq.destination.routing_key': 'booking.confirmed',
      'messaging.message.id': event.id,
      'notifier.outcome': 'applied',
    });
    expect(consume.resource['service.name']).toBe('flight-notifier-under-test');

    // plan: under consume.
    const plan = one(spans, 'plan span', (s) => s.name === 'plan');
    expect(plan.parentSpanId).toBe(consume.spanId);
    expect(plan.attributes['notifier.notifications.planned']).toBe(2);

    // deliver: each send continues the event's trace under consume, linked to the claim span of its batch.
    for (const n of [sms, email_]) {
      const deliver = one(spans, `deliver span of ${n.channel}`, deliverSpan(n.id));
      expect(deliver.parentSpanId).toBe(consume.spanId);
      expect(deliver.attributes).toMatchObject({ 'notifier.channel': n.channel, 'notifier.attempt': 1, 'notifier.outcome': n.status });
      const claim = one(receiver.spans, `claim span of ${n.channel}`, (s) => s.spanId === deliver.links[0]?.spanId);
      expect(claim.name).toBe(`claim ${n.channel}`);
      expect(claim.traceId).not.toBe(producer.traceId); // a batch is a trace of its own ...
      expect(claim.links).toContainEqual({ traceId: producer.traceId, spanId: consume.spanId }); // ... linked to its events
      expect(claim.attributes['messaging.batch.message_count']).toBeGreaterThanOrEqual(1);

      const render = one(spans, `render span of ${n.channel}`, (s) => s.name === 'render' && s.parentSpanId === deliver.spanId);
      expect(render.attributes['notifier.notification.type']).toBe('booking-confirmation');
      const call = one(spans, `provider span of ${n.channel}`, (s) => s.kind === 'client' && s.parentSpanId === deliver.spanId);
      expect(call.name).toBe(n.channel === 'sms' ? 'send twilio' : 'send sandbox');
    }

    // The provider call over HTTP: kind CLIENT with the HTTP client conventions.
    const deliverSms = one(spans, 'deliver span of sms', deliverSpan(sms.id));
    const twilioCall = one(spans, 'Twilio call', (s) => s.kind === 'client' && s.parentSpanId === deliverSms.spanId);
    expect(twilioCall.attributes).toMatchObject({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(twilio.baseUrl).port),
      'url.scheme': 'http',
      'http.response.status_code': 201,
      'notifier.outcome': 'accepted',
    });

    // The status webhook: kind SERVER with its route template.
    const webhook = one(receiver.spans, 'status webhook span', webhookSpan);
    expect(webhook.name).toBe('POST /webhooks/twilio/status');
    expect(webhook.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 200 });

    // No personal data anywhere: not in any attribute, not anywhere in what reached the collector.
    for (const span of receiver.spans) {
      for (const value of [...Object.values(span.attributes), ...Object.values(span.resource)]) {
        if (typeof value !== 'string') continue;
        expect(value).not.toMatch(PHONE);
        expect(value).not.toMatch(EMAIL);
      }
    }
    const exported = receiver.requests.map((r) => r.body).join('\n');
    for (const personal of [phone, phone.slice(1), email, 'Desmarais']) expect(exported).not.toContain(personal);
  });

  it('prefers the AMQP traceparent header (the hop that published it) over the extension attribute, and stores the consume context', async () => {
    const hop = producerSpan();
    const origin = producerSpan();
    const event = booking('TRCON2', '+31622230078', 'second.passenger@example.com');
    await publish({ ...event, traceparent: origin.traceparent }, { traceparent: hop.traceparent });
    const rows = await notificationsOf('TRCON2', 2);
    await waitFor(async () => spansOf(hop.traceId).filter((s) => s.name.startsWith('deliver ')).length === 2, 30_000, 'deliver spans');

    const consume = one(spansOf(hop.traceId), 'consume span', (s) => s.kind === 'consumer');
    expect(consume.parentSpanId).toBe(hop.spanId);
    expect(spansOf(origin.traceId)).toEqual([]);
    const { rows: stored } = await db.query<{ trace_context: { traceparent: string } }>(`SELECT trace_context FROM notifications WHERE id = ANY($1)`, [
      rows.map((r) => r.id),
    ]);
    expect(stored.map((r) => r.trace_context.traceparent)).toEqual([`00-${hop.traceId}-${consume.spanId}-01`, `00-${hop.traceId}-${consume.spanId}-01`]);
  });
});
