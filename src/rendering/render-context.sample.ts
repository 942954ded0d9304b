import type { FlightView, RenderContext } from '../vocabulary/render-context';

/** KL1234 Amsterdam → Paris on 1 December 2026, as scheduled: the flight the specs talk about. */
export function sampleFlight(overrides: Partial<FlightView> = {}): FlightView {
  return {
    code: 'KL1234',
    carrier: 'KL',
    flightNumber: '1234',
    departureDate: '2026-12-01',
    origin: 'AMS',
    destination: 'CDG',
    scheduledDeparture: '2026-12-01T07:35:00Z',
    ...overrides,
  };
}

/** A Dutch passenger's render context on sampleFlight(); specs override what their case is about. */
export function sampleRenderContext(overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    type: 'flight-delay',
    locale: 'nl-NL',
    passenger: { givenName: 'Luc', surname: 'Desmarais' },
    booking: { reference: 'X7K2QP' },
    flight: sampleFlight(),
    ...overrides,
  };
}
