import { FLIGHT_KEY_PATTERN, parseFlightKey } from './flight-view.service';

describe('flight keys', () => {
  it('splits a key into carrier, number and departure date as flight_status stores them', () => {
    expect(parseFlightKey('KL1234-2026-12-01')).toEqual({ key: 'KL1234-2026-12-01', carrier: 'KL', flightNumber: '1234', departureDate: '2026-12-01' });
    expect(parseFlightKey('U2123A-2026-12-01')).toMatchObject({ carrier: 'U2', flightNumber: '123A' });
  });

  it('refuses what is not a key', () => {
    for (const bad of ['KL1234', 'kl1234-2026-12-01', 'KL12345-2026-12-01', 'KL1234-2026-12-1', 'KL-2026-12-01']) {
      expect([bad, FLIGHT_KEY_PATTERN.test(bad)]).toEqual([bad, false]);
    }
    expect(() => parseFlightKey('KL1234')).toThrow('not a flight key');
  });
});
