import { Logger } from '@nestjs/common';
import { projectPath } from '../config/project-root';
import { CHANNELS } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import { contentProblems } from './message-checks';
import { factCombinations } from './message-combinations';
import { sampleFlight, sampleRenderContext } from './render-context.sample';
import { createTemplateRenderer } from './template-renderer.service';
import { messengerTemplateProblems } from './messenger-template-rules';
import { templateProblems } from './whatsapp-template-rules';

const renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: 6, wechatTemplatesFile: projectPath('config/wechat-templates.json') });
const LOCALES = ['en', 'nl', 'de', 'fr', 'es', 'it', 'pt-BR', 'pt-PT', 'ja', 'zh-Hans', 'ko', 'ar'];

function delayWithGate(locale: string, overrides: Partial<RenderContext> = {}): RenderContext {
  return sampleRenderContext({
    locale,
    flight: sampleFlight({ estimatedDeparture: '2026-12-01T08:50:00Z', departureGate: 'F9' }),
    delay: { minutes: 75, earlier: false },
    previous: { estimatedDeparture: '2026-12-01T07:35:00Z', departureGate: 'E4' },
    ...overrides,
  });
}

describe('TemplateRenderer', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
    renderer.load();
  });

  it('has a catalog for each of the eleven languages (pt in two variants)', () => {
    expect(renderer.messageCatalogs().locales()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pt', 'pt-PT', 'zh-Hans']);
  });

  it('renders every combination of facts of every type in every catalog and channel', () => {
    const failures: string[] = [];
    for (const locale of LOCALES) {
      for (const { type, facts, context } of factCombinations()) {
        for (const channel of CHANNELS) {
          try {
            const content = renderer.render(type, channel, locale, { ...context, locale });
            if (!content.text.includes('KL1234') && !content.text.includes('X7K2QP')) failures.push(`${locale} ${type} ${channel} [${facts}]: neither flight nor booking shown`);
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(LOCALES)('tells a delay merged with a gate change on every channel, the WhatsApp text being its template filled in (%s)', (locale) => {
    for (const channel of CHANNELS) {
      const content = renderer.render('flight-delay', channel, locale, delayWithGate(locale));
      expect(content.text).toContain('F9');
      expect(content.text).toContain('E4');
      expect(content.text).toMatch(/9:50|09:50/); // 08:50Z is 09:50 in Amsterdam
    }
    const whatsapp = renderer.render('flight-delay', 'whatsapp', locale, delayWithGate(locale));
    const template = whatsapp.whatsappTemplate;
    expect(template?.name).toMatch(/^flight_delay__delayed_gate__[0-9a-f]{6}$/);
    expect(template?.body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => template.parameters[Number(n) - 1])).toBe(whatsapp.text);
    expect(template?.parameters).toEqual(expect.arrayContaining(['F9', 'E4', 'KL1234']));
    expect(templateProblems(template?.body ?? '', template?.parameters ?? [])).toEqual([]);
  });

  it('formats dates and times in the airport zone and the passenger locale, with a 12-hour clock where it is usual', () => {
    const context = (locale: string) => delayWithGate(locale, { flight: sampleFlight({ origin: 'JFK', destination: 'AMS', scheduledDeparture: '2026-12-01T22:00:00Z', estimatedDeparture: '2026-12-01T23:15:00Z', departureGate: 'B22' }) });
    expect(renderer.render('flight-delay', 'sms', 'en-US', context('en-US')).text).toContain('6:15 PM');
    expect(renderer.render('flight-delay', 'sms', 'de', context('de')).text).toContain('18:15');
    expect(renderer.render('flight-delay', 'email', 'fr', context('fr')).html).toMatch(/mar\. 1 déc\./);
    expect(renderer.render('flight-delay', 'whatsapp', 'ja', context('ja')).text).toMatch(/12月1日/);
  });

  it('falls back pt-BR → pt → en and zh-CN → zh-Hans, formatting a fallback in its own language', () => {
    expect(renderer.render('checkin-open', 'sms', 'pt-BR', delayWithGate('pt-BR')).locale).toBe('pt');
    expect(renderer.render('checkin-open', 'sms', 'zh-CN', delayWithGate('zh-CN')).locale).toBe('zh-Hans');
    const swedish = renderer.render('checkin-open', 'email', 'sv-SE', delayWithGate('sv-SE'));
    expect(swedish.locale).toBe('en');
    expect(swedish.html).toContain('Tue 1 Dec');
  });

  it('lays Arabic e-mail out right to left with Latin codes and times isolated', () => {
    const email = renderer.render('flight-delay', 'email', 'ar', delayWithGate('ar'));
    expect(email.html).toContain('<html lang="ar" dir="rtl">');
    expect(email.html).toContain('<bdi>KL1234</bdi>');
    expect(email.html).toMatch(/<bdi>0?9:50[^<]*<\/bdi>/);
    expect(email.html).toContain('text-align:right');
    expect(email.text).toMatch(/0?9:50/);
  });

  it('decodes every HTML entity in the e-mail text part and escapes passenger data in the HTML', () => {
    const email = renderer.render('flight-delay', 'email', 'en', delayWithGate('en', { passenger: { givenName: 'Zoë <b>&amp;', surname: 'X' } }));
    expect(email.html).toContain('Zoë &lt;b&gt;&amp;amp;');
    expect(email.text).toContain('Zoë <b>&amp;');
    expect(email.text).toContain('Amsterdam (AMS) → Paris (CDG)');
    expect(renderer.render('boarding-pass', 'email', 'en', delayWithGate('en', { checkin: { seat: '1A', sequenceNumber: 1, compartment: 'J' } })).text).not.toMatch(/&[a-z]+;|&#/);
  });

  it('shows a reason only in the language it is written in, and explains IATA delay codes in every language', () => {
    const english = { reason: 'Late inbound aircraft', reasonLanguage: 'en' };
    expect(renderer.render('flight-delay', 'whatsapp', 'en', delayWithGate('en', english)).text).toContain('Late inbound aircraft');
    expect(renderer.render('flight-delay', 'whatsapp', 'ko', delayWithGate('ko', english)).text).not.toContain('Late inbound');
    const coded = renderer.render('flight-delay', 'whatsapp', 'ko', delayWithGate('ko', { ...english, delayCode: '93' }));
    expect(coded.text).not.toContain('Late inbound');
    expect(coded.whatsappTemplate?.name).toMatch(/^flight_delay__delayed_gate_reason__/);
  });

  it('leaves the attachment sentence out where no file goes with the message (SMS, WeChat; Messenger sends it apart)', () => {
    const context = sampleRenderContext({ type: 'boarding-pass', locale: 'en', checkin: { seat: '12A', sequenceNumber: 7, compartment: 'Y' } });
    expect(renderer.render('boarding-pass', 'whatsapp', 'en', context).text).toContain('attached');
    for (const channel of ['sms', 'messenger', 'wechat'] as const) {
      expect({ channel, text: renderer.render('boarding-pass', channel, 'en', context).text }).toEqual({ channel, text: expect.not.stringContaining('attached') });
    }
  });

  describe('wallet buttons and the issue time of a boarding-pass e-mail', () => {
    const google = `https://pay.google.com/gp/v/save/eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(2000)}.sig-_`;
    const apple = 'https://wallet.example.com/wallet/apple/passes/1b4e28ba-2fa1-11d2-883f-0016d3cca427/tok_EN-abc/boarding-pass.pkpass';
    const checkin = { seat: '12A', sequenceNumber: 7, compartment: 'Y', checkedInAt: '2026-12-01T05:10:00Z' };
    const pass = (locale: string, wallet?: RenderContext['wallet']) => sampleRenderContext({ type: 'boarding-pass', locale, checkin, ...(wallet ? { wallet } : {}) });
    const button = (url: string, label: string) => new RegExp(`<a href="${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" style="[^"]*">${label}</a>`);

    it.each(LOCALES)('shows both buttons as links with words in the language, and the URLs in the text part (%s)', (locale) => {
      const email = renderer.render('boarding-pass', 'email', locale, pass(locale, { googleSaveUrl: google, applePassUrl: apple }));
      const words = (key: string) => renderer.messageCatalogs().format(email.locale, 'messages', key, {});
      expect(email.html).toMatch(button(apple, words('boarding-pass.apple-wallet')));
      expect(email.html).toMatch(button(google, words('boarding-pass.google-wallet')));
      // The text part lists each link after its words.
      expect(email.text).toContain(`${words('boarding-pass.apple-wallet')} (${apple})`);
      expect(email.text).toContain(`${words('boarding-pass.google-wallet')} (${google})`);
      for (const channel of ['sms', 'whatsapp', 'messenger', 'wechat', 'push'] as const) {
        const text = renderer.render('boarding-pass', channel, locale, pass(locale, { googleSaveUrl: google, applePassUrl: apple })).text;
        expect({ locale, channel, text }).toEqual({ locale, channel, text: expect.not.stringMatching(/pay\.google\.com|wallet\/apple/) });
      }
    });

    it('shows only the button whose link exists, and none without a wallet', () => {
      const onlyGoogle = renderer.render('boarding-pass', 'email', 'en', pass('en', { googleSaveUrl: google }));
      expect(onlyGoogle.html).toContain('>Add to Google Wallet</a>');
      expect(onlyGoogle.html).not.toContain('Apple Wallet');
      const onlyApple = renderer.render('boarding-pass', 'email', 'en', pass('en', { applePassUrl: apple }));
      expect(onlyApple.html).toContain('>Add to Apple Wallet</a>');
      expect(onlyApple.html).not.toContain('Google');
      const none = renderer.render('boarding-pass', 'email', 'en', pass('en'));
      expect(none.html).not.toMatch(/Wallet|<a /);
      expect(none.text).not.toContain('Wallet');
    });

    it('refuses a link that is not http(s)', () => {
      expect(() => renderer.render('boarding-pass', 'email', 'en', pass('en', { applePassUrl: 'javascript:alert(1)' }))).toThrow(/http\(s\) URL/);
    });

    it('says when the pass was issued, at the departure airport, in every language', () => {
      // 05:10Z is 06:10 in Amsterdam (the sample flight leaves AMS) in December.
      for (const locale of LOCALES) {
        const email = renderer.render('boarding-pass', 'email', locale, pass(locale));
        expect({ locale, text: email.text }).toEqual({ locale, text: expect.stringMatching(/06[:.]10|6[:.]10/) });
      }
      expect(renderer.render('boarding-pass', 'email', 'en', pass('en')).text).toContain('Boarding pass issued: Tue 1 Dec 06:10');
      // Without a check-in time there is nothing to say.
      expect(renderer.render('boarding-pass', 'email', 'en', sampleRenderContext({ type: 'boarding-pass', locale: 'en', checkin: { seat: '12A', sequenceNumber: 7, compartment: 'Y' } })).text).not.toContain('issued');
    });
  });

  it.each(LOCALES)('makes the Messenger text from its utility template form, which Meta would accept, for every combination (%s)', (locale) => {
    const problems: string[] = [];
    for (const { type, facts, context } of factCombinations()) {
      const content = renderer.render(type, 'messenger', locale, { ...context, locale });
      const template = content.messengerTemplate;
      if (!template) {
        problems.push(`${type} [${facts}]: no template form`);
        continue;
      }
      if (template.body.replace(/\{\{(\d+)\}\}/g, (_m, n: string) => template.parameters[Number(n) - 1]) !== content.text) problems.push(`${type} [${facts}]: text differs from the filled template`);
      if (!template.name.startsWith(`${type.replace(/-/g, '_')}__`)) problems.push(`${type} [${facts}]: template name ${template.name}`);
      problems.push(...messengerTemplateProblems(template.body, template.parameters).map((p) => `${type} [${facts}]: ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it('sends Messenger text plain (no WhatsApp asterisks) under a name of its own, and WeChat as plain text without a template', () => {
    const messenger = renderer.render('flight-delay', 'messenger', 'en', delayWithGate('en'));
    const whatsapp = renderer.render('flight-delay', 'whatsapp', 'en', delayWithGate('en'));
    expect(messenger.text).not.toContain('*');
    expect(whatsapp.text).toContain('*');
    expect(messenger.text).toBe(whatsapp.text.replace(/\*/g, ''));
    expect(messenger.messengerTemplate).toMatchObject({ language: 'en_GB', name: expect.stringMatching(/^flight_delay__delayed_gate__[0-9a-f]{6}$/) });
    expect(messenger.messengerTemplate?.name).not.toBe(whatsapp.whatsappTemplate?.name);
    expect(messenger.messengerTemplate?.parameters).toEqual(expect.arrayContaining(['F9', 'E4', 'KL1234']));
    const wechat = renderer.render('flight-delay', 'wechat', 'zh-Hans', delayWithGate('zh-Hans'));
    expect(wechat).not.toHaveProperty('messengerTemplate');
    expect(wechat.text).toContain('KL1234');
    expect(wechat.text).not.toContain('*');
  });

  it.each(LOCALES)('makes a push notification of the e-mail subject as its title and the SMS lines as its body (%s)', (locale) => {
    for (const { type, context } of factCombinations()) {
      const push = renderer.render(type, 'push', locale, { ...context, locale });
      expect(push.subject).toBe(renderer.render(type, 'email', locale, { ...context, locale }).subject);
      // The same short wording; only a line SMS leaves out for its length may follow (the app hint of an itinerary change).
      expect(push.text.startsWith(renderer.render(type, 'sms', locale, { ...context, locale }).text)).toBe(true);
      expect(push.subject).not.toMatch(/\n/);
    }
  });

  it('keeps every push title and body, in every catalog, within the bytes APNs and FCM leave for them', () => {
    expect(contentProblems((t, c, l, x) => renderer.render(t, c, l, x), renderer.messageCatalogs(), 6, ['push'])).toEqual([]);
  });

  it('leaves the attachment sentence out of push too', () => {
    const context = sampleRenderContext({ type: 'boarding-pass', locale: 'en', checkin: { seat: '12A', sequenceNumber: 7, compartment: 'Y' } });
    const push = renderer.render('boarding-pass', 'push', 'en', context);
    expect(push.text).not.toContain('attached');
    expect(push.subject).toBe('Your boarding pass for flight KL1234 to Paris');
  });
});
