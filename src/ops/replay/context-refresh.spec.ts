import type { RenderContext } from '../../vocabulary/render-context';
import { refreshContext } from './context-refresh';

const context: RenderContext = {
  type: 'gate-change',
  locale: 'en',
  passenger: { givenName: 'Luc', surname: 'Desmarais' },
  booking: { reference: 'X7K2QP' },
  flight: {
    code: 'KL1234', carrier: 'KL', flightNumber: '1234', departureDate: '2026-12-01', origin: 'AMS', destination: 'CDG',
    scheduledDeparture: '2026-12-01T07:35:00Z', departureGate: 'E7', departureTerminal: '2',
  },
  previous: { departureGate: 'D7' },
};

const passenger = {
  bookingReference: 'X7K2QP', passengerId: 'P1', givenName: 'Luc', surname: 'Desmarais-Roy', locale: 'nl-NL',
  contacts: {}, consents: [],
};

describe('refreshContext', () => {
  it('tells today’s facts: current name, language and the flight’s latest snapshot', () => {
    const refreshed = refreshContext(context, {
      passenger,
      flight: {
        carrier: 'KL', flightNumber: '1234', departureDate: '2026-12-01', origin: 'AMS', destination: 'CDG', status: 'DELAYED',
        scheduledDeparture: '2026-12-01T07:35:00Z', estimatedDeparture: '2026-12-01T08:20:00Z', departureGate: 'E9',
        departureTerminal: null, version: 9, reason: 'late inbound aircraft',
      },
    });
    expect(refreshed.locale).toBe('nl-NL');
    expect(refreshed.passenger.surname).toBe('Desmarais-Roy');
    expect(refreshed.flight).toMatchObject({ departureGate: 'E9', estimatedDeparture: '2026-12-01T08:20:00Z', status: 'DELAYED' });
    expect(refreshed.flight).not.toHaveProperty('departureTerminal');
    // What made the news stays as it happened.
    expect(refreshed.previous).toEqual({ departureGate: 'D7' });
  });

  it('keeps the reason the news was told with (text, its language, delay code), not the latest snapshot’s', () => {
    const told = { ...context, reason: 'orage', reasonLanguage: 'fr', delayCode: '71' };
    const refreshed = refreshContext(told, {
      passenger,
      flight: {
        carrier: 'KL', flightNumber: '1234', departureDate: '2026-12-01', origin: 'AMS', destination: 'CDG', status: 'DELAYED',
        scheduledDeparture: '2026-12-01T07:35:00Z', version: 10, reason: 'late inbound aircraft', reasonLanguage: 'en', delayCode: '93',
      },
    });
    expect(refreshed).toMatchObject({ reason: 'orage', reasonLanguage: 'fr', delayCode: '71' });
    expect(refreshed.flight).not.toHaveProperty('delayCode');
    expect(refreshed.flight).not.toHaveProperty('reasonLanguage');
  });

  it('keeps the captured flight when no snapshot is known', () => {
    expect(refreshContext(context, { passenger }).flight).toEqual(context.flight);
  });
});
