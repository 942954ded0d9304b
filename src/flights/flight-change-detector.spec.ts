import { detectFlightChanges, FlightSnapshot, toFlightView } from './flight-change-detector';

const scheduled = '2026-12-01T07:35:00Z';
const base: FlightSnapshot = { status: 'SCHEDULED', scheduledDeparture: scheduled, departureGate: 'D7' };
const types = (r: ReturnType<typeof detectFlightChanges>) => r.changes.map((c) => c.type);

describe('detectFlightChanges', () => {
  it('says nothing when nothing that matters changed', () => {
    expect(types(detectFlightChanges(base, { ...base }, undefined, 15))).toEqual([]);
  });

  it('tells a delay past the threshold, measured from the schedule on a first snapshot', () => {
    const result = detectFlightChanges(undefined, { ...base, status: 'DELAYED', estimatedDeparture: '2026-12-01T08:20:00Z' }, undefined, 15);
    expect(result.changes).toEqual([
      { type: 'flight-delay', delay: { minutes: 45, earlier: false }, previous: { estimatedDeparture: scheduled } },
    ]);
    expect(result.announcedDeparture).toBe('2026-12-01T08:20:00Z');
  });

  it('keeps quiet about a delay below the threshold', () => {
    const result = detectFlightChanges(base, { ...base, status: 'DELAYED', estimatedDeparture: '2026-12-01T07:45:00Z' }, undefined, 15);
    expect(result.changes).toEqual([]);
    expect(result.announcedDeparture).toBe(scheduled);
  });

  it('tells each further shift of at least the threshold, earlier ones as good news', () => {
    const announced = '2026-12-01T08:20:00Z';
    const small = detectFlightChanges(base, { ...base, status: 'DELAYED', estimatedDeparture: '2026-12-01T08:30:00Z' }, announced, 15);
    expect(small.changes).toEqual([]);
    const earlier = detectFlightChanges(base, { ...base, status: 'DELAYED', estimatedDeparture: '2026-12-01T08:05:00Z' }, announced, 15);
    expect(earlier.changes[0]).toMatchObject({ type: 'flight-delay', delay: { minutes: 30, earlier: true } });
  });

  it('tells a gate change, with the old gate, but not a first gate assignment', () => {
    const changed = detectFlightChanges(base, { ...base, departureGate: 'E2' }, undefined, 15);
    expect(changed.changes).toEqual([{ type: 'gate-change', previous: { departureGate: 'D7' } }]);
    const first = detectFlightChanges({ ...base, departureGate: null }, { ...base, departureGate: 'E2' }, undefined, 15);
    expect(types(first)).toEqual([]);
  });

  it('tells a terminal move, alone or with the gate, naming only what moved', () => {
    const withTerminal = { ...base, departureTerminal: '2' };
    expect(detectFlightChanges(withTerminal, { ...withTerminal, departureTerminal: '3' }, undefined, 15).changes).toEqual([
      { type: 'gate-change', previous: { departureTerminal: '2' } },
    ]);
    expect(detectFlightChanges(withTerminal, { ...withTerminal, departureGate: 'F1', departureTerminal: '1' }, undefined, 15).changes).toEqual([
      { type: 'gate-change', previous: { departureGate: 'D7', departureTerminal: '2' } },
    ]);
    expect(detectFlightChanges(withTerminal, { ...withTerminal, departureGate: 'D9' }, undefined, 15).changes).toEqual([
      { type: 'gate-change', previous: { departureGate: 'D7' } },
    ]);
    expect(types(detectFlightChanges(base, { ...base, departureTerminal: '2' }, undefined, 15))).toEqual([]);
  });

  it('tells a delay and a gate move of one snapshot together', () => {
    const result = detectFlightChanges(base, { ...base, status: 'DELAYED', estimatedDeparture: '2026-12-01T08:35:00Z', departureGate: 'E2' }, undefined, 15);
    expect(types(result)).toEqual(['flight-delay', 'gate-change']);
    expect(result.announcedDeparture).toBe('2026-12-01T08:35:00Z');
  });

  it('tells boarding once', () => {
    expect(types(detectFlightChanges(base, { ...base, status: 'BOARDING' }, undefined, 15))).toEqual(['boarding-started']);
    expect(types(detectFlightChanges({ ...base, status: 'BOARDING' }, { ...base, status: 'BOARDING' }, undefined, 15))).toEqual([]);
  });

  it('tells a cancellation alone, even with a delay in the same snapshot', () => {
    const result = detectFlightChanges(base, { ...base, status: 'CANCELLED', estimatedDeparture: '2026-12-01T10:00:00Z' }, undefined, 15);
    expect(types(result)).toEqual(['flight-cancellation']);
    expect(types(detectFlightChanges({ ...base, status: 'CANCELLED' }, { ...base, status: 'CANCELLED' }, undefined, 15))).toEqual([]);
  });

  it('tells a diversion', () => {
    expect(types(detectFlightChanges(base, { ...base, status: 'DIVERTED', divertedTo: 'BRU' }, undefined, 15))).toEqual(['flight-diversion']);
  });

  it('tells the baggage belt on arrival, and again only if it changes', () => {
    const arrived = { ...base, status: 'ARRIVED', baggageBelt: '4' };
    expect(types(detectFlightChanges({ ...base, status: 'DEPARTED' }, arrived, undefined, 15))).toEqual(['baggage-belt']);
    expect(types(detectFlightChanges(arrived, arrived, undefined, 15))).toEqual([]);
    expect(types(detectFlightChanges(arrived, { ...arrived, baggageBelt: '6' }, undefined, 15))).toEqual(['baggage-belt']);
  });

  it('tells no delay or gate news once the flight has left', () => {
    const departed = { ...base, status: 'DEPARTED', estimatedDeparture: '2026-12-01T09:00:00Z', departureGate: 'E1' };
    expect(types(detectFlightChanges(base, departed, undefined, 15))).toEqual([]);
  });
});

describe('toFlightView', () => {
  it('drops null fields and builds the flight code', () => {
    const view = toFlightView(
      { carrier: 'KL', flightNumber: '1234', departureDate: '2026-12-01', origin: 'AMS', destination: 'CDG' },
      { scheduledDeparture: scheduled, departureGate: 'D7', divertedTo: null, baggageBelt: undefined },
    );
    expect(view).toEqual({
      code: 'KL1234',
      carrier: 'KL',
      flightNumber: '1234',
      departureDate: '2026-12-01',
      origin: 'AMS',
      destination: 'CDG',
      scheduledDeparture: scheduled,
      departureGate: 'D7',
    });
  });
});
