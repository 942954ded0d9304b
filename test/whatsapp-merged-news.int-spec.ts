import { randomInt } from 'node:crypto';
import { Writable } from 'node:stream';
import { run } from '../src/cli/main';
import type { CloudEvent } from '../src/events/event-types';
import { bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { formatLocalTime } from '../src/rendering/local-time';
import type { RenderedContent, WhatsAppTemplateContent } from '../src/rendering/rendered-content';
import { count, VIEWER_TOKEN, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';
import { WhatsAppContractServer, type RecordedRequest } from './support/whatsapp-contract-server';

const at = (base: string, minutes: number) => new Date(Date.parse(base) + minutes * 60_000).toISOString().replace('.000Z', 'Z');

interface TemplateRequest {
  template: { name: string; language: { code: string }; components: { type: string; parameters: { type: string; text: string }[] }[] };
}
interface TextRequest {
  text: { body: string };
}

/**
 * The case issue 16 starts from: a delay and then a gate change within the news window make one
 * flight-delay message, and a passenger on WhatsApp outside the 24-hour window gets it as an approved
 * template that carries the new time, the new gate and the gate it replaces. What Meta received is what
 * the read API and the CLI show: template name, language, parameters, and the text they make.
 */
describe('WhatsApp: a delay and a gate change merged into one template, shown as sent', () => {
  let server: WhatsAppContractServer;
  let url: string;
  beforeAll(async () => {
    server = await new WhatsAppContractServer().start();
  });
  // The news window never closes by itself here (an hour): the test closes it once both events are in, so
  // no assertion depends on how fast the machine is.
  const service = useTestService(() => ({
    CHANNEL_WHATSAPP: 'whatsapp-cloud',
    ...server.env(),
    WHATSAPP_PAIR_INTERVAL_MS: '0',
    FLIGHT_NEWS_WINDOW_SECONDS: '3600',
  }));
  beforeAll(async () => {
    url = await service.app.getUrl();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    // Every request the service made conformed to Meta's OpenAPI document.
    expect(server.violations).toEqual([]);
  });

  const applied = (event: CloudEvent<unknown>) =>
    waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])) === 1, 30_000, `event ${event.id}`);

  /** A booking on its own flight, its WhatsApp confirmation sent; then a delay of 75 minutes and a move from D7 to F9. */
  async function delayThenGate(ref: string, flightNumber: string, phone: string, beforeNews?: () => Promise<void>) {
    const seg = segment({ flightNumber });
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [passenger({ passengerId: 'P1', locale: 'en-GB', contacts: { whatsapp: phone }, consents: [{ channel: 'whatsapp', granted: true }] })],
      segments: [seg],
    });
    await service.publisher.publish(booking.type, booking);
    const confirmed = `SELECT 1 FROM notifications WHERE booking_reference = $1 AND type = 'booking-confirmation' AND status = 'sent'`;
    await waitFor(async () => (await count(service.db, confirmed, [ref])) === 1, 30_000, 'the confirmation');
    await beforeNews?.();

    const known = flightStatus(seg, 1);
    const delay = flightStatus(seg, 2, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 75) });
    const gate = flightStatus(seg, 3, { status: 'DELAYED', estimatedDeparture: at(seg.scheduledDeparture, 75), departureGate: 'F9' });
    for (const event of [known, delay, gate]) {
      await service.publisher.publish(event.type, event);
      await applied(event); // in order: the gate change finds the delay still waiting
    }
    const pending: { id: string; type: string }[] = await service.db.query(
      `SELECT id, type FROM notifications
        WHERE booking_reference = $1 AND channel = 'whatsapp' AND status = 'pending' AND type IN ('flight-delay', 'gate-change')`,
      [ref],
    );
    // One message waits, the delay that now also tells the gate; the window closes now.
    expect(pending.map((p) => p.type)).toEqual(['flight-delay']);
    await service.db.query(`UPDATE notifications SET due_at = now() WHERE id = $1`, [pending[0].id]);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE id = $1 AND status = 'sent'`, [pending[0].id])) === 1, 30_000, 'the merged message sent');
    return { id: pending[0].id, newTime: formatLocalTime(at(seg.scheduledDeparture, 75), seg.origin, 'en-GB') };
  }

  /** The request that carried this notification (its id travels as biz_opaque_callback_data). */
  const requestFor = (phone: string, id: string): RecordedRequest => {
    const sent = server.messagesTo(phone).filter((r) => (r.body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data === id);
    expect(sent).toHaveLength(1);
    return sent[0];
  };
  const detail = async (id: string) => (await service.http('viewer').get(`/api/notifications/${id}`).expect(200)).body as { content: RenderedContent };
  const fresh = () => `+3162${String(randomInt(1_000_000, 9_999_999))}`;

  it('sends the template that tells the new time, the new gate and the gate it replaces, and shows exactly that', async () => {
    const phone = fresh();
    const { id, newTime } = await delayThenGate('MERGE1', '7101', phone);

    const request = requestFor(phone, id);
    expect(request).toMatchObject({ type: 'template', status: 200 });
    const { template } = request.body as TemplateRequest;
    const sentParameters = template.components.find((c) => c.type === 'body')?.parameters.map((p) => p.text) ?? [];
    expect(template.name).toMatch(/^flight_delay__delayed_gate(_\w+)?__[0-9a-f]{6}$/);
    expect(template.language.code).toBe('en_GB');
    expect(sentParameters).toEqual(expect.arrayContaining(['F9', 'D7', newTime, '75 minutes']));

    // The read API shows what Meta got: the same template, language and parameters, and the text they make.
    const { content } = await detail(id);
    const shown = content.whatsappTemplate as WhatsAppTemplateContent;
    expect(shown).toMatchObject({ name: template.name, language: template.language.code, parameters: sentParameters });
    expect(content.text).toBe(shown.body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => sentParameters[Number(n) - 1]));
    expect(content.text).toContain('F9');
    expect(content.text).toContain('D7');
    expect(content.text).toContain(newTime);

    // So does the CLI.
    const out: string[] = [];
    const code = await run(['notifications', 'show', id, '--url', url, '--token', VIEWER_TOKEN], { out: (t) => out.push(t), err: (t) => out.push(t), progress: new Writable({ write: (_c, _e, done) => done() }) });
    expect(code).toBe(0);
    const printed = out.join('');
    expect(printed).toContain(`WhatsApp template: ${template.name} (en_GB)`);
    sentParameters.forEach((value, i) => expect(printed).toContain(`{{${i + 1}}}  ${value}`));
    expect(printed).toContain(`  ${content.text.split('\n').at(-1) ?? ''}\n`);
  });

  it('shows the text alone when the text was sent inside the 24-hour window', async () => {
    const phone = fresh();
    const { id, newTime } = await delayThenGate('MERGE2', '7102', phone, async () => {
      const hello = await server.postWebhook(url, server.inboundTextPayload({ from: phone.slice(1), body: 'Is my flight on time?' }));
      expect(hello.status).toBe(200);
    });

    const request = requestFor(phone, id);
    expect(request).toMatchObject({ type: 'text', status: 200 });
    const { text } = request.body as TextRequest;
    const { content } = await detail(id);
    expect(content.text).toBe(text.body);
    expect(content).not.toHaveProperty('whatsappTemplate');
    for (const fact of ['F9', 'D7', newTime]) expect(text.body).toContain(fact);
  });
});
