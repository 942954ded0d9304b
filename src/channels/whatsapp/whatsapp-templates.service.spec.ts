import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../config/app-config';
import { projectPath } from '../../config/config.module';
import { NOTIFICATION_TYPES, type NotificationType } from '../../vocabulary/notification-types';
import type { RenderContext } from '../../vocabulary/render-context';
import { cleanParameter, compileWhatsAppTemplates, resolveIn, WhatsAppTemplates } from './whatsapp-templates.service';
import { sampleFlight, sampleRenderContext } from '../../rendering/render-context.sample';

const shipped = JSON.parse(readFileSync(projectPath('config/whatsapp-templates.json'), 'utf8')) as {
  templates: Record<string, Record<string, { name: string; language: string; approvedText: string; body: string[]; header?: unknown }>>;
};

/** A context with every fact any type may show, as the planner captures them. */
function context(type: NotificationType, locale: string): RenderContext {
  return sampleRenderContext({
    type,
    locale,
    passenger: { givenName: 'Luc', surname: 'Desmarais', title: 'MR' },
    flight: sampleFlight({
      status: 'DELAYED',
      estimatedDeparture: '2026-12-01T08:20:00Z',
      scheduledArrival: '2026-12-01T08:50:00Z',
      departureGate: 'D7',
      departureTerminal: '2',
      baggageBelt: '14',
      divertedTo: 'BRU',
    }),
    previous: { estimatedDeparture: '2026-12-01T07:35:00Z', departureGate: 'D3' },
    delay: { minutes: 45, earlier: false },
    segments: [
      { code: 'KL1234', origin: 'AMS', destination: 'CDG', departureDate: '2026-12-01', scheduledDeparture: '2026-12-01T07:35:00Z', scheduledArrival: '2026-12-01T08:50:00Z' },
      { code: 'KL1235', origin: 'CDG', destination: 'AMS', departureDate: '2026-12-05', scheduledDeparture: '2026-12-05T18:00:00Z', scheduledArrival: '2026-12-05T19:15:00Z' },
    ],
    checkin: { seat: '12A', sequenceNumber: 42, compartment: 'Y' },
    reason: 'weather\nat destination',
  });
}

describe('config/whatsapp-templates.json', () => {
  const templates = compileWhatsAppTemplates(shipped);

  it('has an English and a Dutch approved template for every notification type', () => {
    for (const type of NOTIFICATION_TYPES) {
      expect(Object.keys(shipped.templates[type]).sort()).toEqual(['en', 'nl']);
      expect(shipped.templates[type].en).toMatchObject({ name: expect.stringMatching(/^[a-z_]+_v\d+$/), language: 'en_GB' });
      expect(shipped.templates[type].nl).toMatchObject({ name: shipped.templates[type].en.name, language: 'nl' });
    }
    expect(shipped.templates['boarding-pass'].en.header).toEqual({ type: 'document' });
  });

  it.each(NOTIFICATION_TYPES.flatMap((type) => [[type, 'en'] as const, [type, 'nl-NL'] as const]))(
    'fills %s in %s with one clean parameter per placeholder',
    (type, locale) => {
      const template = resolveIn(templates, type, locale);
      const values = template.bodyParameters(context(type, locale));
      const approved = shipped.templates[type][template.locale].approvedText;
      const placeholders = new Set([...approved.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1]));
      expect(values).toHaveLength(placeholders.size);
      for (const value of values) {
        expect(value).not.toMatch(/[\n\t]| {2}/);
        expect(value.length).toBeGreaterThan(0);
      }
      expect(values).toContain('Luc');
    },
  );

  it('formats times in the airport zone in the passenger’s language', () => {
    const delay = resolveIn(templates, 'flight-delay', 'nl-NL').bodyParameters(context('flight-delay', 'nl-NL'));
    expect(delay).toEqual(['Luc', 'KL1234', 'Amsterdam', 'Parijs', '09:20', 'di 1 dec', '45 minuten later']);
    const earlier = resolveIn(templates, 'flight-delay', 'en').bodyParameters({ ...context('flight-delay', 'en'), delay: { minutes: -20, earlier: true } });
    expect(earlier.at(-1)).toBe('earlier than planned');
    const cancellation = resolveIn(templates, 'flight-cancellation', 'en').bodyParameters(context('flight-cancellation', 'en'));
    expect(cancellation[5]).toBe('weather at destination');
  });

  it('falls back nl-NL → nl → en', () => {
    expect(resolveIn(templates, 'gate-change', 'nl-BE')).toMatchObject({ locale: 'nl', language: 'nl' });
    expect(resolveIn(templates, 'gate-change', 'de-DE')).toMatchObject({ locale: 'en', language: 'en_GB' });
    expect(resolveIn(templates, 'gate-change', 'garbage')).toMatchObject({ locale: 'en' });
  });

  it('says which parameter failed when the context lacks a fact', () => {
    const template = resolveIn(templates, 'gate-change', 'en');
    expect(() => template.bodyParameters({ ...context('gate-change', 'en'), flight: undefined })).toThrow(/gate_change_v1 \(en_GB\) parameter 2/);
  });

  it('is loaded from WHATSAPP_TEMPLATES_FILE at start when the Cloud API is configured', () => {
    Logger.overrideLogger(false);
    const service = new WhatsAppTemplates(loadConfig({ CHANNEL_WHATSAPP: 'sandbox', WHATSAPP_TEMPLATES_FILE: 'config/missing.json' }));
    expect(() => service.onModuleInit()).not.toThrow(); // sandbox: not needed
    expect(() => service.resolve('gate-change', 'en')).toThrow(/cannot read WhatsApp templates/);
  });
});

describe('compileWhatsAppTemplates', () => {
  const entry = { name: 'gate_change_v1', language: 'en_GB', approvedText: 'Hi {{1}}, gate {{2}}', body: ['{{passenger.givenName}}', '{{flight.departureGate}}'] };
  const file = (overrides: Record<string, unknown> = {}) => ({
    templates: Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, { en: entry }])),
    ...overrides,
  });
  const problems = (json: unknown): string => {
    try {
      compileWhatsAppTemplates(json, 'test.json');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('compiled');
  };

  it('names every shape problem at once', () => {
    const broken = file();
    const templates = broken.templates as Record<string, Record<string, unknown>>;
    templates['baggage-belt'] = { en: { ...entry, language: 'English' } };
    delete templates['flight-diversion'];
    const message = problems(broken);
    expect(message).toContain('templates.baggage-belt.en.language');
    expect(message).toContain('templates.flight-diversion');
  });

  it('names every template that cannot be used', () => {
    const broken = file();
    const templates = broken.templates as Record<string, Record<string, unknown>>;
    templates['gate-change'] = { nl: entry };
    templates['flight-delay'] = { en: { ...entry, body: ['{{passenger.givenName}}'] } };
    templates['boarding-started'] = { en: { ...entry, body: ['{{nosuchhelper flight.code}}', '{{x}}'] } };
    templates['baggage-belt'] = { en: entry, 'not a locale!': entry };
    const message = problems(broken);
    expect(message).toContain('templates.gate-change: missing the "en" entry');
    expect(message).toContain('templates.flight-delay.en: approvedText has 2 placeholders but body has 1 expressions');
    expect(message).toContain('templates.boarding-started.en: body[0]');
    expect(message).toContain('templates.baggage-belt.not a locale!: "not a locale!" is not a BCP 47 locale');
  });

  it('rejects unknown fields and gaps in the placeholders', () => {
    expect(problems(file({ extra: true }))).toContain('extra');
    const gap = file();
    (gap.templates as Record<string, unknown>)['gate-change'] = { en: { ...entry, approvedText: 'Hi {{1}}, gate {{3}}' } };
    expect(problems(gap)).toContain('without gaps');
  });

  it('cleans parameters the way Meta requires', () => {
    expect(cleanParameter(' a\n\tb     c ')).toBe('a b c');
    expect(cleanParameter('   ')).toBe('-');
  });
});
