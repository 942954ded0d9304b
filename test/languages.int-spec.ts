import { bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { SmtpTestServer } from './support/smtp-test-server';
import { publishApplied, waitFor } from './support/test-app';
import { TwilioContractServer } from './support/twilio-contract-server';
import { useTestService } from './support/use-test-service';
import { WhatsAppContractServer } from './support/whatsapp-contract-server';

/** A passenger per language, as booking systems send locales; the catalog each reads and WhatsApp's code for it. */
const PASSENGERS = [
  { locale: 'en-GB', catalog: 'en', whatsapp: 'en_GB' },
  { locale: 'nl-NL', catalog: 'nl', whatsapp: 'nl' },
  { locale: 'de-DE', catalog: 'de', whatsapp: 'de' },
  { locale: 'fr-FR', catalog: 'fr', whatsapp: 'fr' },
  { locale: 'es-ES', catalog: 'es', whatsapp: 'es' },
  { locale: 'it-IT', catalog: 'it', whatsapp: 'it' },
  { locale: 'pt-BR', catalog: 'pt', whatsapp: 'pt_BR' },
  { locale: 'pt-PT', catalog: 'pt-PT', whatsapp: 'pt_PT' },
  { locale: 'ja-JP', catalog: 'ja', whatsapp: 'ja' },
  { locale: 'zh-CN', catalog: 'zh-Hans', whatsapp: 'zh_CN' },
  { locale: 'ko-KR', catalog: 'ko', whatsapp: 'ko' },
  { locale: 'ar-AE', catalog: 'ar', whatsapp: 'ar' },
].map((p, i) => ({ ...p, id: `PAX-${i + 1}`, phone: `+316400000${String(i + 10)}`, email: `pax${i + 1}@example.com` }));

interface Sent {
  passenger_id: string;
  channel: string;
  locale: string;
  content: { locale: string; text: string; subject?: string; html?: string; whatsappTemplate?: { name: string; language: string; body: string; parameters: string[] } };
}

/**
 * A flight delay that also moved the gate, told to a passenger in each of the eleven languages on
 * WhatsApp (template: no conversation window is open), SMS and e-mail through the real adapters and
 * their contract servers: each provider carried the passenger's language, and what it carried is what
 * the notification records (the read API shows that record).
 */
describe('one delay in eleven languages, through every real adapter', () => {
  let whatsapp: WhatsAppContractServer;
  let twilio: TwilioContractServer;
  let smtp: SmtpTestServer;
  beforeAll(async () => {
    whatsapp = await new WhatsAppContractServer().start();
    twilio = await new TwilioContractServer().start();
    smtp = await new SmtpTestServer().start();
  });
  const service = useTestService(() => ({
    CHANNEL_WHATSAPP: 'whatsapp-cloud',
    ...whatsapp.env(),
    WHATSAPP_PAIR_INTERVAL_MS: '0',
    CHANNEL_SMS: 'twilio',
    ...twilio.env('http://127.0.0.1:9'),
    CHANNEL_EMAIL: 'smtp',
    SMTP_URL: smtp.url(),
    EMAIL_FROM: 'Flight News <news@flights.example.com>',
    PROVIDER_TIMEOUT_MS: '10000',
    FLIGHT_NEWS_WINDOW_SECONDS: '1',
  }));
  afterAll(async () => {
    await whatsapp?.close();
    await twilio?.close();
    await smtp?.close();
  });

  it('sends each passenger the delay and the new gate in their own language on WhatsApp, SMS and e-mail', async () => {
    const seg = segment({ flightNumber: '4321' });
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'LANG11',
      passengers: PASSENGERS.map((p) =>
        passenger({
          passengerId: p.id,
          givenName: 'Alex',
          locale: p.locale,
          contacts: { whatsapp: p.phone, sms: p.phone, email: p.email },
          consents: (['whatsapp', 'sms', 'email'] as const).map((channel) => ({ channel, granted: true, at: '2026-11-20T10:00:00Z' })),
        }),
      ),
      segments: [seg],
    });
    await publishApplied(service, booking);
    const first = flightStatus(seg, 1, { departureGate: 'D7' });
    await publishApplied(service, first);
    const delayed = new Date(Date.parse(seg.scheduledDeparture) + 75 * 60_000).toISOString();
    const snapshot = flightStatus(seg, 2, { status: 'DELAYED', estimatedDeparture: delayed, departureGate: 'F9', delayCode: '93' });
    await service.publisher.publish(snapshot.type, snapshot);

    const sent = await waitFor(async () => {
      const rows: Sent[] = await service.db.query(
        `SELECT passenger_id, channel, locale, content FROM notifications
          WHERE booking_reference = 'LANG11' AND type = 'flight-delay' AND status IN ('sent', 'delivered')`,
      );
      return rows.length === PASSENGERS.length * 3 ? rows : undefined;
    }, 150_000, 'the delay sent to every passenger on every channel');
    await waitFor(async () => smtp.received.length >= PASSENGERS.length * 2 || undefined, 30_000, 'every e-mail received');

    const texts = new Set<string>();
    for (const p of PASSENGERS) {
      const of = (channel: string) => sent.find((n) => n.passenger_id === p.id && n.channel === channel)!;

      const wa = of('whatsapp');
      expect(wa.content.locale).toBe(p.catalog);
      const template = wa.content.whatsappTemplate!;
      expect(template.language).toBe(p.whatsapp);
      const request = whatsapp.messagesTo(p.phone).find((r) => (r.body as { template?: { name: string } }).template?.name === template.name);
      const carried = request?.body as { template: { name: string; language: { code: string }; components: { type: string; parameters: { text: string }[] }[] } };
      expect(carried.template.language.code).toBe(p.whatsapp);
      const parameters = carried.template.components.find((c) => c.type === 'body')!.parameters.map((x) => x.text);
      expect(parameters).toEqual(template.parameters);
      expect(parameters).toEqual(expect.arrayContaining(['F9', 'D7', `KL4321`]));
      expect(template.body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => parameters[Number(n) - 1])).toBe(wa.content.text);
      expect(template.name).toMatch(/^flight_delay__delayed_gate(_arrival)?_reason__[0-9a-f]{6}$/);

      const sms = of('sms');
      expect(twilio.messagesTo(p.phone).map((m) => m.body)).toContain(sms.content.text);
      expect(sms.content.text).toContain('F9');

      const email = of('email');
      const mail = smtp.received.find((m) => m.envelope.to.includes(p.email) && m.parsed.subject === email.content.subject);
      expect(mail).toBeDefined();
      expect(mail!.parsed.html).toBe(email.content.html);
      expect(email.content.html).toContain(`<html lang="${p.catalog}" dir="${p.catalog === 'ar' ? 'rtl' : 'ltr'}">`);
      texts.add(wa.content.text);
    }
    // One name for all: eleven languages (two Portuguese), twelve different texts, nobody got another's language.
    expect(texts.size).toBe(PASSENGERS.length);
    expect(whatsapp.violations).toEqual([]);
  }, 240_000);
});
