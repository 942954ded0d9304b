import { Logger } from '@nestjs/common';
import { projectPath } from '../config/config.module';
import { CHANNELS } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
import { createTemplateRenderer } from '../rendering/template-renderer.service';

/** The shipped flight-news templates tell every fact a merged message carries. */
describe('flight-news templates with merged facts', () => {
  const renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: 6, wechatTemplatesFile: projectPath('config/wechat-templates.json') });
  beforeAll(() => {
    Logger.overrideLogger(false);
    renderer.load();
  });

  const base: Omit<RenderContext, 'type'> = {
    locale: 'en',
    passenger: { givenName: 'Luc', surname: 'Desmarais' },
    booking: { reference: 'X7K2QP' },
    flight: {
      code: 'KL1234', carrier: 'KL', flightNumber: '1234', departureDate: '2026-12-01', origin: 'AMS', destination: 'CDG',
      status: 'DELAYED', scheduledDeparture: '2026-12-01T07:35:00Z', estimatedDeparture: '2026-12-01T08:50:00Z',
      departureGate: 'E2', departureTerminal: '3',
    },
  };
  const text = (type: RenderContext['type'], channel: (typeof CHANNELS)[number], locale: string, context: Omit<RenderContext, 'type' | 'locale'>) => {
    const rendered = renderer.render(type, channel, locale, { ...context, type, locale });
    return 'subject' in rendered ? `${rendered.subject}\n${rendered.text}` : rendered.text;
  };

  it.each(CHANNELS.flatMap((c) => [[c, 'en'] as const, [c, 'nl'] as const]))('a delay that also moved the gate mentions the new gate (%s, %s)', (channel, locale) => {
    const message = text('flight-delay', channel, locale, {
      ...base,
      delay: { minutes: 75, earlier: false },
      previous: { estimatedDeparture: '2026-12-01T07:35:00Z', departureGate: 'D7', departureTerminal: '2' },
    });
    expect(message).toContain('09:50'); // 08:50Z in Amsterdam
    expect(message).toContain('E2');
    expect(message).toContain('D7');
  });

  it.each(CHANNELS.flatMap((c) => [[c, 'en'] as const, [c, 'nl'] as const]))('a gate change that also carries a delay mentions it (%s, %s)', (channel, locale) => {
    const message = text('gate-change', channel, locale, { ...base, delay: { minutes: 75, earlier: false }, previous: { departureGate: 'D7' } });
    expect(message).toContain('E2');
    expect(message).toMatch(/75 min/);
    expect(message).toContain('09:50');
  });

  it.each(CHANNELS.flatMap((c) => [[c, 'en'] as const, [c, 'nl'] as const]))('plain news still renders without the other facts (%s, %s)', (channel, locale) => {
    expect(text('gate-change', channel, locale, { ...base, previous: { departureTerminal: '2' } })).toContain('3');
    expect(text('flight-delay', channel, locale, { ...base, delay: { minutes: -20, earlier: true } })).toContain('09:50');
    expect(text('checkin-open', channel, locale, base)).toContain('X7K2QP');
  });
});
