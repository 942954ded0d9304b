import type { PassFacts } from '../../boarding-passes/apple-wallet/pass-facts';
import type { FlightStatusData } from '../../events/event-types';
import { sampleFlight } from '../../rendering/render-context.sample';
import { withCheckin, withFlight } from './apple-wallet-passes.service';
import { passUpdateRequest } from './apple-wallet-pusher.service';
import { logLines, registrationPushToken } from './apple-wallet-web.dto';

const facts = (checkin: Partial<PassFacts['checkin']> = {}): PassFacts => ({
  locale: 'en',
  passenger: { givenName: 'Luc', surname: 'Desmarais' },
  booking: { reference: 'X7K2QP' },
  flight: sampleFlight({ scheduledArrival: '2026-12-01T08:50:00Z', departureGate: 'D7' }),
  checkin: { seat: '12A', sequenceNumber: 42, compartment: 'Y', gate: 'D7', checkedInAt: '2026-11-30T09:00:00Z', ...checkin },
});

/** A snapshot of the sample flight (KL1234 AMS → CDG on 1 December 2026). */
const snapshot = (version: number, changes: Partial<FlightStatusData> = {}): FlightStatusData => ({
  carrier: 'KL',
  flightNumber: '1234',
  departureDate: '2026-12-01',
  origin: 'AMS',
  destination: 'CDG',
  status: 'SCHEDULED',
  scheduledDeparture: '2026-12-01T07:35:00Z',
  departureGate: 'D7',
  version,
  ...changes,
});

describe('withFlight', () => {
  it("takes the snapshot's gate, times and status, keeps the leg's destination and scheduled arrival", () => {
    const next = withFlight(facts(), snapshot(2, { departureGate: 'E12', estimatedDeparture: '2026-12-01T08:05:00Z', destination: 'ORY' }));
    expect(next.flight).toMatchObject({ departureGate: 'E12', estimatedDeparture: '2026-12-01T08:05:00Z', destination: 'CDG', scheduledArrival: '2026-12-01T08:50:00Z' });
  });

  it("drops the check-in's gate when the flight names another one, keeps it otherwise", () => {
    expect(withFlight(facts(), snapshot(2, { departureGate: 'E12' })).checkin.gate).toBeUndefined();
    expect(withFlight(facts(), snapshot(2, { departureGate: 'D7' })).checkin.gate).toBe('D7');
  });
});

describe('withCheckin', () => {
  it('takes a later check-in (seat) and keeps the stored flight', () => {
    const stored = withFlight(facts(), snapshot(2, { departureGate: 'E12' }));
    const next = withCheckin(stored, facts({ seat: '14C', checkedInAt: '2026-11-30T10:00:00Z' }));
    expect(next.checkin.seat).toBe('14C');
    expect(next.flight.departureGate).toBe('E12');
  });

  it('ignores the same or an older check-in: re-sending the first boarding pass does not bring back its gate', () => {
    const stored = withFlight(facts(), snapshot(2, { departureGate: 'E12' }));
    expect(withCheckin(stored, facts())).toBe(stored);
    expect(withCheckin(stored, facts({ checkedInAt: '2026-11-29T09:00:00Z' }))).toBe(stored);
  });
});

describe('pass update push and web service bodies', () => {
  it('pushes an empty dictionary on the pass type topic', () => {
    expect(passUpdateRequest('pass.com.example.airline')).toEqual({ headers: { 'apns-topic': 'pass.com.example.airline', 'content-type': 'application/json' }, payload: '{}' });
  });

  it('takes an APNs token and log lines, naming the field otherwise', () => {
    expect(registrationPushToken({ pushToken: 'ab'.repeat(32) })).toBe('ab'.repeat(32));
    expect(() => registrationPushToken({ pushToken: 'xyz' })).toThrow(/pushToken/);
    expect(() => registrationPushToken(null)).toThrow(/pushToken/);
    expect(logLines({ logs: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(() => logLines({ logs: [1] })).toThrow(/logs/);
  });
});
