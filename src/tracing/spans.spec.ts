import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { ConsumeMessage } from 'amqplib';
import {
  recordHttpExchange,
  traceClaim,
  traceConsume,
  traceContextToStore,
  traceDeliver,
  tracePlan,
  traceProviderCall,
  traceRender,
  tracingActive,
  useTracer,
} from './spans';

const PRODUCER = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
const HOP = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const traceparent = (p: { traceId: string; spanId: string }) => `00-${p.traceId}-${p.spanId}-01`;

function message(body: object | string, headers: Record<string, unknown> = {}): ConsumeMessage {
  return {
    content: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    fields: { exchange: 'airline.events', routingKey: 'booking.confirmed', deliveryTag: 7, redelivered: false, consumerTag: 'c' },
    properties: { headers } as ConsumeMessage['properties'],
  } as ConsumeMessage;
}

describe('span helpers with tracing off', () => {
  it('only run the work: no tracer, nothing stored', async () => {
    expect(tracingActive()).toBe(false);
    await expect(traceConsume(message({ id: 'e1' }), 1000, async () => ({ kind: 'applied' }))).resolves.toEqual({ kind: 'applied' });
    await expect(tracePlan('booking.confirmed', async () => [1, 2])).resolves.toEqual([1, 2]);
    expect(traceRender('gate-change', () => ({ locale: 'en' }))).toEqual({ locale: 'en' });
    expect(traceContextToStore()).toBeNull();
    expect(() => recordHttpExchange('POST', 'not a url')).not.toThrow(); // not even parsed
  });
});

describe('span helpers with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const spans = () => exporter.getFinishedSpans();
  const named = (name: string): ReadableSpan => spans().find((s) => s.name === name)!;

  beforeAll(() => {
    provider.register();
    useTracer(provider.getTracer('test'));
  });
  afterAll(async () => {
    useTracer(undefined);
    await provider.shutdown();
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('continues the CloudEvent extension traceparent and sets the messaging attributes', async () => {
    const body = { id: 'evt-1', type: 'booking.confirmed', source: '/booking', traceparent: traceparent(PRODUCER) };
    await traceConsume(message(body), 10_000, async () => ({ kind: 'applied' }));
    const consume = named('process airline.events');
    expect(consume.kind).toBe(SpanKind.CONSUMER);
    expect(consume.spanContext().traceId).toBe(PRODUCER.traceId);
    expect(consume.parentSpanContext?.spanId).toBe(PRODUCER.spanId);
    expect(consume.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'airline.events',
      'messaging.rabbitmq.destination.routing_key': 'booking.confirmed',
      'messaging.message.id': 'evt-1',
      'notifier.outcome': 'applied',
    });
  });

  it('prefers the AMQP header, and starts a new trace when neither is valid', async () => {
    await traceConsume(message({ id: 'e', traceparent: traceparent(PRODUCER) }, { traceparent: Buffer.from(traceparent(HOP)) }), 10_000, async () => ({ kind: 'applied' }));
    expect(spans()[0].parentSpanContext?.spanId).toBe(HOP.spanId);
    exporter.reset();
    await traceConsume(message('{not json', { traceparent: '00-zz-broken-01' }), 10_000, async () => ({ kind: 'parked', reasonCode: 'bad-json' }));
    expect(spans()[0].parentSpanContext).toBeUndefined();
    expect(spans()[0].attributes).toMatchObject({ 'notifier.outcome': 'parked', 'notifier.park.reason_code': 'bad-json' });
  });

  it('records a failure by its class, never its message (messages can quote personal data)', async () => {
    const failing = traceConsume(message({ id: 'e' }), 10_000, async () => {
      throw new TypeError('duplicate key (recipient)=(+31612345678)');
    });
    await expect(failing).rejects.toThrow(TypeError);
    const [span] = spans();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toBeUndefined();
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(span.events).toEqual([]);
  });

  it('plans under consume and stores the consume context, not the plan context', async () => {
    let stored: ReturnType<typeof traceContextToStore> = null;
    await traceConsume(message({ id: 'e', traceparent: traceparent(PRODUCER) }), 10_000, async () => {
      await tracePlan('booking.confirmed', async () => ['a', 'b']);
      stored = traceContextToStore();
      return { kind: 'applied' };
    });
    const consume = named('process airline.events');
    expect(named('plan').parentSpanContext?.spanId).toBe(consume.spanContext().spanId);
    expect(named('plan').attributes['notifier.notifications.planned']).toBe(2);
    expect(stored).toEqual({ traceparent: `00-${PRODUCER.traceId}-${consume.spanContext().spanId}-01` });
  });

  it('sends as a child of the stored context, linked to the batch; without one, as a child of the batch', async () => {
    const carrier = { traceparent: traceparent(PRODUCER) };
    const batch = [
      { id: 'n1', type: 'gate-change', channel: 'sms', attempts: 1, traceContext: carrier },
      { id: 'n2', type: 'checkin-reminder', channel: 'sms', attempts: 2, traceContext: null },
    ];
    await traceClaim('sms', batch, Date.now() - 5, async () => {
      for (const n of batch) {
        await traceDeliver(n, async () => {
          traceRender(n.type, () => ({ locale: 'nl' }));
          await traceProviderCall('twilio', 'sms', async () => {
            recordHttpExchange('POST', 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json', 429);
            return { outcome: 'retryable', code: '20429' };
          });
          return { status: 'pending' };
        });
      }
    });
    const claim = named('claim sms');
    expect(claim.parentSpanContext).toBeUndefined();
    expect(claim.links.map((l) => l.context.spanId)).toEqual([PRODUCER.spanId]);
    expect(claim.attributes['messaging.batch.message_count']).toBe(2);

    const delivers = spans().filter((s) => s.name === 'deliver sms');
    const [first, second] = ['n1', 'n2'].map((id) => delivers.find((s) => s.attributes['notifier.notification.id'] === id)!);
    expect(first.spanContext().traceId).toBe(PRODUCER.traceId);
    expect(first.parentSpanContext?.spanId).toBe(PRODUCER.spanId);
    expect(first.links.map((l) => l.context.spanId)).toEqual([claim.spanContext().spanId]);
    expect(second.parentSpanContext?.spanId).toBe(claim.spanContext().spanId);
    expect(second.attributes).toMatchObject({ 'notifier.attempt': 2, 'notifier.outcome': 'pending' });

    const call = spans().find((s) => s.name === 'send twilio' && s.parentSpanContext?.spanId === first.spanContext().spanId)!;
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toEqual({
      'notifier.adapter': 'twilio',
      'notifier.channel': 'sms',
      'http.request.method': 'POST',
      'server.address': 'api.twilio.com',
      'server.port': 443,
      'url.scheme': 'https',
      'http.response.status_code': 429,
      'error.type': '20429',
      'notifier.outcome': 'retryable',
      'notifier.provider.code': '20429',
    });
    const render = spans().find((s) => s.name === 'render' && s.parentSpanContext?.spanId === first.spanContext().spanId)!;
    expect(render.attributes).toEqual({ 'notifier.notification.type': 'gate-change', 'notifier.locale': 'nl' });
  });
});
