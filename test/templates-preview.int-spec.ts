import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { run } from '../src/cli/main';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import type { NotificationPreviewDto, TemplateCatalogDto, TemplatePreviewDto } from '../src/ops/templates/templates.responses';
import { CHANNELS, NOTIFICATION_TYPES } from '../src/vocabulary/notification-types';
import { PartnerReceiver } from './support/partner-receiver';
import { count, PRODUCER_TOKEN, VIEWER_TOKEN, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

const CATALOGS = ['ar', 'de', 'en', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pt', 'pt-PT', 'zh-Hans'];
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const ARABIC = /[\u0600-\u06ff]/;

/** Every file the sandbox wrote, so a preview can be shown to have sent nothing. */
function outboxFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe('operators preview: the catalogs, any type × channel × locale for sample facts, a notification in another language', () => {
  let partner: PartnerReceiver;
  const service = useTestService(async () => {
    partner = await new PartnerReceiver('preview-partner-secret-0123').start();
    return { PARTNER_WEBHOOKS: JSON.stringify([{ name: 'crm', url: partner.url, secret: partner.secret, types: ['booking-confirmation'] }]) };
  });
  afterAll(async () => partner?.close());

  /** The booking confirmation a Dutch passenger got, by channel (whatsapp, email, and the partner's webhook). */
  const sent: Record<string, string> = {};

  beforeAll(async () => {
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'PRV001',
      passengers: [
        passenger({
          passengerId: 'P1',
          locale: 'nl-NL',
          contacts: { whatsapp: '+31612345001', email: 'preview@example.com' },
          consents: [{ channel: 'whatsapp', granted: true }, { channel: 'email', granted: true }],
        }),
      ],
      segments: [segment({ flightNumber: '1601' })],
    });
    await service.publisher.publish(booking.type, booking);
    const rows = await waitFor(async () => {
      const found: { id: string; channel: string }[] = await service.db.query(
        `SELECT id, channel FROM notifications WHERE booking_reference = 'PRV001' AND status IN ('sent', 'delivered')`,
      );
      return found.length === 3 ? found : undefined;
    }, 20_000, 'the booking confirmation on whatsapp, email and the partner webhook');
    for (const row of rows) sent[row.channel] = row.id;
  });

  const get = <T>(url: string, as: 'viewer' | 'operator' = 'viewer') => service.http(as).get(url).expect(200).then((res) => res.body as T);

  it('lists types, channels and the catalogs loaded, with each type’s lines, fact combinations and WhatsApp template names', async () => {
    const list = await get<TemplateCatalogDto>('/api/templates');
    expect(list.types).toEqual([...NOTIFICATION_TYPES]);
    expect(list.channels).toEqual([...CHANNELS]);
    expect(list.locales.map((l) => l.code)).toEqual(CATALOGS);
    expect(list.locales.find((l) => l.code === 'ar')).toEqual({ code: 'ar', name: 'Arabic', dir: 'rtl', whatsappLanguage: 'ar' });
    expect(list.locales.find((l) => l.code === 'pt')).toEqual({ code: 'pt', name: 'Portuguese', dir: 'ltr', whatsappLanguage: 'pt_BR' });
    expect(list.locales.filter((l) => l.dir === 'rtl').map((l) => l.code)).toEqual(['ar']);
    expect(list.smsSegmentBudget).toBe(service.config.SMS_SEGMENT_BUDGET);
    expect(list.templates.map((t) => t.type)).toEqual([...NOTIFICATION_TYPES]);

    const delay = list.templates.find((t) => t.type === 'flight-delay')!;
    expect(delay.lines).toContainEqual({ fact: 'gate', key: 'news.gate-moved', optional: true, notOn: [] });
    const delayGate = delay.combinations.find((c) => c.facts.join(',') === 'delayed,gate')!;
    expect(delayGate.whatsapp.map((w) => w.locale)).toEqual(CATALOGS);
    for (const w of delayGate.whatsapp) expect(w.name).toMatch(/^flight_delay__delayed_gate__[0-9a-f]{6}$/);
    // Other words, other template: each catalog has its own name.
    expect(new Set(delayGate.whatsapp.map((w) => w.name)).size).toBe(CATALOGS.length);
    expect(delayGate.whatsapp.find((w) => w.locale === 'zh-Hans')?.language).toBe('zh_CN');
    const pass = list.templates.find((t) => t.type === 'boarding-pass')!;
    expect(pass.document).toBe(true);
    expect(pass.lines).toContainEqual({ fact: 'attached', key: 'boarding-pass.attached', optional: false, notOn: ['sms', 'messenger', 'wechat', 'push'] });
    const combinations = list.templates.reduce((n, t) => n + t.combinations.length, 0);
    expect(combinations).toBeGreaterThanOrEqual(NOTIFICATION_TYPES.length);
    process.stdout.write(`\n${list.types.length} types × ${list.channels.length} channels × ${list.locales.length} catalogs; ${combinations} fact combinations, ${combinations * list.locales.length} WhatsApp templates\n`);
  });

  it('renders every type on every channel in every catalog for sample facts', async () => {
    const list = await get<TemplateCatalogDto>('/api/templates');
    for (const type of list.types) {
      for (const channel of list.channels) {
        for (const { code } of list.locales) {
          const preview = await get<TemplatePreviewDto>(`/api/templates/${type}/${channel}/${code}/preview`);
          expect([type, channel, code, preview.content.locale, preview.content.text.length > 0]).toEqual([type, channel, code, code, true]);
          if (channel === 'email') expect([type, code, preview.content.html?.includes(`lang="${code}"`)]).toEqual([type, code, true]);
          if (channel === 'whatsapp') expect([type, code, preview.content.whatsappTemplate?.language]).toEqual([type, code, list.locales.find((l) => l.code === code)?.whatsappLanguage]);
          if (channel === 'sms') expect(preview.sms!.segments).toBeLessThanOrEqual(preview.sms!.budget);
        }
      }
    }
  });

  it('previews an e-mail in Japanese and in Arabic (right to left, flight codes isolated)', async () => {
    const ja = await get<TemplatePreviewDto>('/api/templates/flight-delay/email/ja/preview');
    expect(ja).toMatchObject({ type: 'flight-delay', channel: 'email', locale: 'ja', dir: 'ltr', sms: null });
    expect(ja.content.subject).toMatch(JAPANESE);
    expect(ja.content.html).toContain('<html lang="ja" dir="ltr">');
    expect(ja.content.text).toMatch(JAPANESE);
    // Without facts: the combination that tells the most.
    expect(ja.facts).toEqual(['delayed', 'gate', 'terminal', 'arrival', 'reason']);

    const ar = await get<TemplatePreviewDto>('/api/templates/flight-delay/email/ar/preview?facts=delayed,gate');
    expect(ar).toMatchObject({ locale: 'ar', dir: 'rtl', facts: ['delayed', 'gate'] });
    expect(ar.content.locale).toBe('ar');
    expect(ar.content.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar.content.html).toContain('<bdi>KL1234</bdi>');
    expect(ar.content.subject).toMatch(ARABIC);
  });

  it('previews the WhatsApp template of a named combination, the one GET /api/templates names', async () => {
    const list = await get<TemplateCatalogDto>('/api/templates');
    const names = list.templates.find((t) => t.type === 'flight-delay')!.combinations.find((c) => c.facts.join(',') === 'delayed,gate')!.whatsapp;
    const preview = await get<TemplatePreviewDto>('/api/templates/flight-delay/whatsapp/ja/preview?facts=gate,delayed');
    expect(preview.facts).toEqual(['delayed', 'gate']);
    const template = preview.content.whatsappTemplate!;
    expect(template.name).toBe(names.find((n) => n.locale === 'ja')!.name);
    expect(template.language).toBe('ja');
    expect(template.body).toMatch(/\{\{1\}\}/);
    expect(template.parameters).toEqual(expect.arrayContaining(['F9', 'E4']));
    // The text is the body with the parameters in: what Meta shows the passenger.
    expect(preview.content.text).toBe(template.body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => template.parameters[Number(n) - 1]));
    expect(preview.content.text).toMatch(JAPANESE);

    const sms = await get<TemplatePreviewDto>('/api/templates/flight-delay/sms/ko/preview?facts=earlier');
    expect(sms.facts).toEqual(['earlier']);
    expect(sms.sms).toEqual({ encoding: 'UCS-2', segments: expect.any(Number), budget: service.config.SMS_SEGMENT_BUDGET });
    const none = await get<TemplatePreviewDto>('/api/templates/booking-cancellation/sms/en/preview?facts=');
    expect(none.facts).toEqual([]);
  });

  it('refuses an unknown type, channel, locale or combination of facts with 400 naming the field', async () => {
    const refused = async (url: string, field: RegExp) => {
      const res = await service.http('viewer').get(url).expect(400);
      expect([url, JSON.stringify(res.body.message)]).toEqual([url, expect.stringMatching(field)]);
    };
    await refused('/api/templates/flight-late/email/ja/preview', /type must be one of/);
    await refused('/api/templates/flight-delay/fax/ja/preview', /channel must be one of whatsapp, sms, email/);
    await refused('/api/templates/flight-delay/email/sv/preview', /locale must be one of the catalogs: ar, de, en/);
    await refused('/api/templates/flight-delay/email/pt-BR/preview', /locale must be one of the catalogs/);
    await refused('/api/templates/flight-delay/email/x_y/preview', /locale must be a language tag/);
    await refused('/api/templates/flight-delay/email/ja/preview?facts=belt', /facts: flight-delay has no optional fact belt/);
    await refused('/api/templates/flight-delay/email/ja/preview?facts=delayed,earlier', /facts: flight-delay never tells delayed \+ earlier together/);
    await refused('/api/templates/flight-delay/email/ja/preview?facts=', /facts: flight-delay never tells without an optional fact/);
    await refused('/api/templates/flight-delay/email/ja/preview?facts=Delayed!', /facts must be fact names/);
    await refused('/api/templates/flight-delay/email/ja/preview?lang=ja', /property lang should not exist/);
    const id = sent.email;
    await refused(`/api/notifications/${id}/preview?locale=sv`, /locale must be one of the catalogs/);
    await refused(`/api/notifications/${id}/preview?channel=fax`, /channel must be one of the following values/);
    await refused(`/api/notifications/not-a-uuid/preview`, /id must be a UUID/);
    await refused(`/api/notifications/${sent.webhook}/preview?locale=ja`, /channel is required: .* partner webhook/);
    await service.http('viewer').get('/api/notifications/6f1c1d2e-1111-4222-8333-944455556666/preview').expect(404);
  });

  it('answers 401 without a valid token and 403 to a producer, like every other read', async () => {
    for (const url of ['/api/templates', '/api/templates/flight-delay/sms/en/preview', `/api/notifications/${sent.email}/preview`]) {
      await service.http('anonymous').get(url).expect(401);
      await service.http('anonymous').get(url).set('Authorization', 'Bearer not-a-configured-token-0123').expect(401);
      await service.http('anonymous').get(url).set('Authorization', `Bearer ${PRODUCER_TOKEN}`).expect(403);
      await service.http('anonymous').get(url).set('Authorization', `Bearer ${VIEWER_TOKEN}`).expect(200);
      await service.http('operator').get(url).expect(200);
    }
  });

  it('previews a sent notification as it went, and in another language and channel, sending nothing', async () => {
    const outbox = outboxFiles(service.env.OUTBOX_DIR);
    const notifications = await count(service.db, `SELECT 1 FROM notifications`);
    const detail = await get<{ content: Record<string, unknown>; timeline: unknown[]; locale: string }>(`/api/notifications/${sent.email}`);
    expect(detail.locale).toBe('nl-NL');

    // Its own locale and channel: exactly what the read API says was sent.
    const same = await get<NotificationPreviewDto>(`/api/notifications/${sent.email}/preview`);
    expect(same).toMatchObject({ notificationId: sent.email, sentLocale: 'nl-NL', sentChannel: 'email', channel: 'email', locale: 'nl-NL', dir: 'ltr' });
    expect(same.content).toEqual(detail.content);

    const ja = await get<NotificationPreviewDto>(`/api/notifications/${sent.email}/preview?locale=ja`);
    expect(ja).toMatchObject({ locale: 'ja', channel: 'email', sentLocale: 'nl-NL', facts: [] });
    expect(ja.content.locale).toBe('ja');
    expect(ja.content.subject).toMatch(JAPANESE);
    expect(ja.content.html).toContain('<html lang="ja" dir="ltr">');
    // The passenger's own facts: their name and flight, not sample ones.
    expect(ja.content.html).toContain('KL1601');
    expect(ja.content.html).toContain('Luc');

    const ar = await get<NotificationPreviewDto>(`/api/notifications/${sent.email}/preview?locale=ar&channel=email`);
    expect(ar.dir).toBe('rtl');
    expect(ar.content.html).toContain('<html lang="ar" dir="rtl">');

    // Another channel: the WhatsApp template this passenger would have had in Japanese.
    const list = await get<TemplateCatalogDto>('/api/templates');
    const jaTemplate = list.templates.find((t) => t.type === 'booking-confirmation')!.combinations[0].whatsapp.find((w) => w.locale === 'ja')!;
    const wa = await get<NotificationPreviewDto>(`/api/notifications/${sent.email}/preview?locale=ja&channel=whatsapp`);
    expect(wa.content.whatsappTemplate).toMatchObject({ name: jaTemplate.name, language: 'ja' });
    expect(wa.content.text).toContain('KL1601');
    // A partner's webhook has no template; with a channel it previews as the passenger would read it.
    const fromWebhook = await get<NotificationPreviewDto>(`/api/notifications/${sent.webhook}/preview?channel=sms&locale=de`);
    expect(fromWebhook).toMatchObject({ sentChannel: 'webhook', channel: 'sms', locale: 'de' });
    expect(fromWebhook.content.text).toContain('KL1601');

    // Nothing sent, stored or added to the timeline.
    expect(outboxFiles(service.env.OUTBOX_DIR)).toEqual(outbox);
    expect(await count(service.db, `SELECT 1 FROM notifications`)).toBe(notifications);
    expect((await get<{ timeline: unknown[] }>(`/api/notifications/${sent.email}`)).timeline).toEqual(detail.timeline);
  });

  it('works from the CLI: notifier templates and notifier preview', async () => {
    const url = `http://127.0.0.1:${(service.app.getHttpServer().address() as AddressInfo).port}`;
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await run([...args, '--url', url, '--token', VIEWER_TOKEN], { out: (t) => out.push(t), err: (t) => err.push(t), progress: process.stderr });
      return { code, out: out.join(''), err: err.join('') };
    };
    const list = await cli(['templates']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/ar \(Arabic, rtl\)/);
    expect(list.out).toMatch(/flight-delay\s+32\s+delayed, earlier, gate, terminal, arrival, reason/);
    const names = await cli(['templates', '--type', 'flight-delay', '--locale', 'ja']);
    expect(names.code).toBe(0);
    expect(names.out).toMatch(/delayed, gate\s+flight_delay__delayed_gate__[0-9a-f]{6}\s+ja/);

    const wa = await cli(['preview', 'flight-delay', 'whatsapp', 'ja', '--facts', 'delayed,gate']);
    expect(wa.code).toBe(0);
    expect(wa.out).toMatch(/template:\s+flight_delay__delayed_gate__[0-9a-f]{6} \(ja\)/);
    expect(wa.out).toContain('{{1}}');
    expect(wa.out).toMatch(JAPANESE);
    const email = await cli(['preview', 'flight-delay', 'email', 'ar', '--html']);
    expect(email.code).toBe(0);
    expect(email.out).toContain('<html lang="ar" dir="rtl">');
    const json = await cli(['preview', 'booking-confirmation', 'sms', 'de', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ type: 'booking-confirmation', channel: 'sms', locale: 'de', sms: { budget: service.config.SMS_SEGMENT_BUDGET } });
    const other = await cli(['preview', '--notification', sent.email, '--locale', 'ko']);
    expect(other.code).toBe(0);
    expect(other.out).toMatch(/notification .* \(sent as email in nl-NL\)/);
    expect(other.out).toMatch(/[\uac00-\ud7af]/);

    const unknownLocale = await cli(['preview', 'flight-delay', 'sms', 'sv']);
    expect(unknownLocale.code).toBe(1);
    expect(unknownLocale.err).toContain('locale must be one of the catalogs');
    const badChannel = await cli(['preview', 'flight-delay', 'fax', 'ja']);
    expect(badChannel.code).toBe(2);
    const mixed = await cli(['preview', 'flight-delay', 'sms', 'ja', '--notification', sent.email]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('--notification');
  });

  it('refuses to preview a notification whose personal data was erased (409)', async () => {
    await service.http('operator').post('/api/bookings/PRV001/erase').expect(200);
    const res = await service.http('viewer').get(`/api/notifications/${sent.email}/preview?locale=ja`).expect(409);
    expect(res.body.message).toContain('erased');
  });
});
