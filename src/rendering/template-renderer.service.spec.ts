import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { CHANNELS, NOTIFICATION_TYPES } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import { createTemplateRenderer, type TemplateRenderer } from './template-renderer.service';
import { sampleFlight, sampleRenderContext } from './render-context.sample';

const EMAIL_EN = 'Subject: Booking {{booking.reference}} for {{passenger.givenName}}\n\n<p>Dear {{passenger.givenName}},</p>\n<p>See you.</p>\n';

function context(overrides: Partial<RenderContext> = {}): RenderContext {
  return sampleRenderContext({
    flight: sampleFlight({ estimatedDeparture: '2026-12-01T08:20:00Z' }),
    delay: { minutes: -45, earlier: false },
    ...overrides,
  });
}

describe('TemplateRenderer', () => {
  let dir: string;
  let renderer: TemplateRenderer;

  const write = (file: string, source: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), source);
  };
  const loadError = (): string => {
    try {
      renderer.load();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('load() did not throw');
  };

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'templates-'));
    for (const type of NOTIFICATION_TYPES) {
      write(`${type}/whatsapp.en.hbs`, `Hi {{passenger.givenName}}, ${type} (en)\n`);
      write(`${type}/sms.en.hbs`, `${type} {{booking.reference}}\n`);
      write(`${type}/email.en.hbs`, EMAIL_EN);
    }
    renderer = createTemplateRenderer({ templatesDir: dir });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('locale fallback', () => {
    it('falls back nl-NL → nl → en', () => {
      renderer.load();
      expect(renderer.render('flight-delay', 'sms', 'nl-NL', context())).toEqual({
        locale: 'en',
        text: 'flight-delay X7K2QP',
      });

      write('flight-delay/sms.nl.hbs', 'Vertraging {{booking.reference}}');
      renderer.load();
      expect(renderer.render('flight-delay', 'sms', 'nl-NL', context())).toEqual({ locale: 'nl', text: 'Vertraging X7K2QP' });

      write('flight-delay/sms.nl-NL.hbs', 'Vertraging NL');
      renderer.load();
      expect(renderer.render('flight-delay', 'sms', 'nl-NL', context()).locale).toBe('nl-NL');
      expect(renderer.render('flight-delay', 'sms', 'nl-BE', context()).locale).toBe('nl');
      expect(renderer.render('flight-delay', 'sms', 'garbage', context()).locale).toBe('en');
    });

    it('normalizes the locale in a file name', () => {
      write('gate-change/sms.zh-hans.hbs', '登机口');
      renderer.load();
      expect(renderer.render('gate-change', 'sms', 'zh-Hans-CN', context()).locale).toBe('zh-Hans');
    });
  });

  describe('load errors', () => {
    it('names every type and channel that lacks an English template', () => {
      unlinkSync(join(dir, 'flight-delay/sms.en.hbs'));
      unlinkSync(join(dir, 'baggage-belt/email.en.hbs'));
      write('baggage-belt/email.nl.hbs', EMAIL_EN);
      const message = loadError();
      expect(message).toMatch(/flight-delay\/sms\.en\.hbs: missing \(type flight-delay, channel sms/);
      expect(message).toMatch(/baggage-belt\/email\.en\.hbs: missing \(type baggage-belt, channel email/);
    });

    it('rejects unknown folders, bad file names, bad locales and duplicates', () => {
      write('flight-delayed/sms.en.hbs', 'x');
      write('gate-change/fax.en.hbs', 'x');
      write('gate-change/sms.en.txt', 'x');
      write('gate-change/sms.klingon-language.hbs', 'x');
      write('gate-change/sms.EN.hbs', 'x');
      write('README.md', 'x');
      write('gate-change/.gitkeep', '');
      const message = loadError();
      expect(message).toContain('flight-delayed: not a notification type folder');
      expect(message).toContain('README.md: not a notification type folder');
      expect(message).toContain('gate-change/fax.en.hbs: not a template');
      expect(message).toContain('gate-change/sms.en.txt: not a template');
      expect(message).toContain('gate-change/sms.klingon-language.hbs: "klingon-language" is not a BCP 47 locale');
      expect(message).toMatch(/gate-change\/sms\.(EN|en)\.hbs: same template as gate-change\/sms\.(en|EN)\.hbs/);
      expect(message).not.toContain('.gitkeep');
    });

    it('rejects a template that does not compile, or calls an unknown helper', () => {
      write('flight-delay/whatsapp.nl.hbs', 'Hallo {{#if passenger.givenName}}');
      write('gate-change/whatsapp.nl.hbs', 'Om {{localtime flight.scheduledDeparture flight.origin}}');
      const message = loadError();
      expect(message).toContain('flight-delay/whatsapp.nl.hbs:');
      expect(message).toMatch(/gate-change\/whatsapp\.nl\.hbs: .*unknown helper localtime/);
    });

    it('rejects an e-mail template without the Subject header and blank line', () => {
      write('flight-delay/email.nl.hbs', '<p>No subject</p>');
      write('gate-change/email.nl.hbs', 'Subject: Gate\n<p>No blank line</p>');
      write('boarding-started/email.nl.hbs', 'Subject:   \n\n<p>Empty subject</p>');
      const message = loadError();
      for (const type of ['flight-delay', 'gate-change', 'boarding-started']) {
        expect(message).toContain(`${type}/email.nl.hbs: an e-mail template starts with "Subject: <text>"`);
      }
    });

    it('keeps the previous templates when a reload fails, and refuses to render before any load', () => {
      expect(() => renderer.render('flight-delay', 'sms', 'en', context())).toThrow(/load\(\) has not run/);
      renderer.load();
      unlinkSync(join(dir, 'flight-delay/sms.en.hbs'));
      expect(() => renderer.load()).toThrow();
      expect(renderer.render('flight-delay', 'sms', 'en', context()).text).toBe('flight-delay X7K2QP');
    });
  });

  describe('passenger text', () => {
    const evil = '<script>alert("x")</script> & Co';

    it('is HTML-escaped in e-mail but shown verbatim on WhatsApp and in the subject', () => {
      renderer.load();
      const passenger = { givenName: evil, surname: 'D' };
      const email = renderer.render('flight-delay', 'email', 'en', context({ passenger }));
      expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
      expect(email.html).not.toContain('<script>');
      expect(email.subject).toBe(`Booking X7K2QP for ${evil}`);
      expect(email.text).toBe(`Dear ${evil},\n\nSee you.`);

      const whatsapp = renderer.render('flight-delay', 'whatsapp', 'en', context({ passenger }));
      expect(whatsapp.text).toBe(`Hi ${evil}, flight-delay (en)`);
    });

    it('is never evaluated as a template', () => {
      write('flight-cancellation/whatsapp.en.hbs', 'Cancelled: {{reason}}');
      renderer.load();
      const reason = '{{passenger.surname}} {{#each segments}}x{{/each}} {{localTime a b}}';
      const result = renderer.render('flight-cancellation', 'whatsapp', 'en', context({ reason }));
      expect(result.text).toBe(`Cancelled: ${reason}`);
    });

    it('cannot break the subject line into a second mail header', () => {
      renderer.load();
      const passenger = { givenName: 'Luc\r\nBcc: victim@example.com', surname: 'D' };
      const email = renderer.render('flight-delay', 'email', 'en', context({ passenger }));
      expect(email.subject).toBe('Booking X7K2QP for Luc Bcc: victim@example.com');
    });
  });

  it('throws on a missing variable instead of leaving a hole (strict mode)', () => {
    write('gate-change/sms.en.hbs', 'Gate {{flight.departureGate}}');
    renderer.load();
    expect(() => renderer.render('gate-change', 'sms', 'en', context())).toThrow(
      /Rendering gate-change\/sms\.en\.hbs failed: "departureGate" not defined/,
    );
  });

  describe('e-mail', () => {
    it('parses the Subject header and derives plain text from the HTML body', () => {
      write(
        'flight-delay/email.nl.hbs',
        'Subject: Vlucht {{flight.code}} naar {{city flight.destination}} vertraagd\r\n\r\n' +
          '<h1>Vertraging</h1>\n<p>Nieuwe vertrektijd: <b>{{localTime flight.estimatedDeparture flight.origin}}</b></p>\n',
      );
      renderer.load();
      const email = renderer.render('flight-delay', 'email', 'nl-NL', context());
      expect(email).toEqual({
        locale: 'nl',
        subject: 'Vlucht KL1234 naar Parijs vertraagd',
        html: '<h1>Vertraging</h1>\n<p>Nieuwe vertrektijd: <b>09:20</b></p>\n',
        text: 'Vertraging\n\nNieuwe vertrektijd: 09:20',
      });
    });
  });

  describe('helpers', () => {
    beforeEach(() => {
      write(
        'flight-delay/whatsapp.nl.hbs',
        '{{localDate flight.scheduledDeparture flight.origin}} {{localTime flight.scheduledDeparture flight.origin}} → ' +
          '{{localDateTime flight.estimatedDeparture flight.origin}}, {{city flight.destination}}, {{minutes delay.minutes}} min',
      );
      renderer.load();
    });

    it('format in the airport zone with the passenger locale', () => {
      expect(renderer.render('flight-delay', 'whatsapp', 'nl', context()).text).toBe(
        'di 1 dec 08:35 → di 1 dec, 09:20, Parijs, 45 min',
      );
    });

    it('take the locale from the passenger where the template speaks their language', () => {
      const result = renderer.render('flight-delay', 'whatsapp', 'en-US', context({ locale: 'en-US' }));
      expect(result.locale).toBe('en');
      write('flight-delay/whatsapp.en.hbs', '{{localTime flight.scheduledDeparture flight.origin}}');
      renderer.load();
      expect(renderer.render('flight-delay', 'whatsapp', 'en-US', context({ locale: 'en-US' })).text).toBe('8:35 AM');
    });

    it('format a fallback template in its own language, not the passenger’s', () => {
      write('flight-delay/whatsapp.en.hbs', '{{localDate flight.scheduledDeparture flight.origin}}');
      renderer.load();
      expect(renderer.render('flight-delay', 'whatsapp', 'de-DE', context({ locale: 'de-DE' }))).toEqual({ locale: 'en', text: 'Tue 1 Dec' });
    });

    it('fail clearly on a missing instant', () => {
      const flight = { ...context().flight!, estimatedDeparture: undefined };
      expect(() => renderer.render('flight-delay', 'whatsapp', 'nl', context({ flight }))).toThrow(
        /localDateTime: expected an instant, got undefined/,
      );
    });
  });

  it('lists what it loaded', () => {
    write('gate-change/sms.nl.hbs', 'Gate');
    renderer.load();
    const list = renderer.listTemplates();
    expect(list).toHaveLength(NOTIFICATION_TYPES.length * CHANNELS.length + 1);
    expect(list).toContainEqual({ type: 'gate-change', channel: 'sms', locale: 'nl', file: 'gate-change/sms.nl.hbs' });
  });
});
