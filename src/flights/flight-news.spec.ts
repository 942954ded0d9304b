import type { FlightView } from '../vocabulary/render-context';
import { sampleFlight } from '../rendering/render-context.sample';
import { coalesceNews, factsOf, FlightNews, kindsOf, newsDueAt, newsOfChange, newsOfContext, reasonOf } from './flight-news';

const scheduled = '2026-12-01T07:35:00Z';
const flight = (changes: Partial<FlightView> = {}): FlightView =>
  sampleFlight({ status: 'SCHEDULED', scheduledDeparture: scheduled, departureGate: 'D7', departureTerminal: '2', ...changes });
const delay = (estimated: string, told = scheduled): FlightNews => ({
  type: 'flight-delay',
  flight: flight({ status: 'DELAYED', estimatedDeparture: estimated }),
  delay: { minutes: (Date.parse(estimated) - Date.parse(scheduled)) / 60_000, earlier: Date.parse(estimated) < Date.parse(told) },
  previous: { estimatedDeparture: told },
});
const gate = (from: string, to: string): FlightNews => ({ type: 'gate-change', flight: flight({ departureGate: to }), previous: { departureGate: from } });

describe('coalesceNews', () => {
  it('merges a pending delay and a new gate into one delay message showing both, measured from what was told', () => {
    const latest = flight({ status: 'DELAYED', estimatedDeparture: '2026-12-01T08:50:00Z', departureGate: 'E2' });
    const merged = coalesceNews([delay('2026-12-01T08:20:00Z'), gate('D7', 'E2')], latest, 15, { reason: 'late inbound aircraft' });
    expect(merged).toEqual({
      type: 'flight-delay',
      kinds: ['flight-delay', 'gate-change'],
      flight: latest,
      delay: { minutes: 75, earlier: false },
      previous: { estimatedDeparture: scheduled, departureGate: 'D7' },
      reason: 'late inbound aircraft',
    });
  });

  it('keeps the gate the passenger was told first across several moves, and drops a move back', () => {
    const moved = coalesceNews([gate('D7', 'E2'), gate('E2', 'F5')], flight({ departureGate: 'F5' }), 15);
    expect(moved).toMatchObject({ type: 'gate-change', previous: { departureGate: 'D7' } });
    expect(coalesceNews([gate('D7', 'E2'), gate('E2', 'D7')], flight({ departureGate: 'D7' }), 15)).toBeUndefined();
  });

  it('drops a delay that was undone before anyone heard of it, and calls an earlier time good news', () => {
    const back = flight({ status: 'SCHEDULED', estimatedDeparture: '2026-12-01T07:40:00Z' });
    expect(coalesceNews([delay('2026-12-01T08:20:00Z'), delay('2026-12-01T07:40:00Z', '2026-12-01T08:20:00Z')], back, 15)).toBeUndefined();
    const earlier = coalesceNews([delay('2026-12-01T08:05:00Z', '2026-12-01T09:00:00Z')], flight({ status: 'DELAYED', estimatedDeparture: '2026-12-01T08:05:00Z' }), 15);
    expect(earlier).toMatchObject({ type: 'flight-delay', delay: { minutes: 30, earlier: true }, previous: { estimatedDeparture: '2026-12-01T09:00:00Z' } });
  });

  it('lets a cancellation replace pending delay and gate news, told alone', () => {
    const cancelled = flight({ status: 'CANCELLED' });
    const merged = coalesceNews([delay('2026-12-01T08:20:00Z'), gate('D7', 'E2'), { type: 'flight-cancellation', flight: cancelled }], cancelled, 15, { reason: 'storm' });
    expect(merged).toEqual({ type: 'flight-cancellation', kinds: ['flight-cancellation'], flight: cancelled, reason: 'storm' });
  });

  it('picks boarding over a delay, and keeps the delay facts', () => {
    const boarding = flight({ status: 'BOARDING', estimatedDeparture: '2026-12-01T08:20:00Z' });
    const merged = coalesceNews([delay('2026-12-01T08:20:00Z'), { type: 'boarding-started', flight: boarding }], boarding, 15);
    expect(merged).toMatchObject({ type: 'boarding-started', kinds: ['boarding-started', 'flight-delay'], delay: { minutes: 45 } });
  });

  it('finds nothing left once the flight has left, and no cancellation once it is back on', () => {
    expect(coalesceNews([{ type: 'boarding-started', flight: flight({ status: 'BOARDING' }) }], flight({ status: 'DEPARTED' }), 15)).toBeUndefined();
    expect(coalesceNews([{ type: 'flight-cancellation', flight: flight({ status: 'CANCELLED' }) }], flight({ status: 'SCHEDULED' }), 15)).toBeUndefined();
    const arrived = flight({ status: 'ARRIVED', baggageBelt: '4' });
    expect(coalesceNews([delay('2026-12-01T08:20:00Z'), { type: 'baggage-belt', flight: arrived }], arrived, 15)).toMatchObject({ type: 'baggage-belt', kinds: ['baggage-belt'] });
  });
});

describe('the reason: free text, its language and the IATA delay code travel together', () => {
  const why = { reason: 'vertraagde aankomst van het toestel', reasonLanguage: 'nl', delayCode: '93' };

  it('takes them from a snapshot, leaving out null and absent ones', () => {
    expect(reasonOf({ reason: 'storm', reasonLanguage: null, delayCode: '71' })).toEqual({ reason: 'storm', delayCode: '71' });
    expect(reasonOf({ reason: null })).toEqual({});
  });

  it('puts all three beside the facts of new, merged and stored news, and into the render context', () => {
    const news = newsOfChange({ type: 'flight-delay', delay: { minutes: 45, earlier: false }, previous: { estimatedDeparture: scheduled } }, flight(), why);
    expect(news).toMatchObject(why);
    const latest = flight({ status: 'DELAYED', estimatedDeparture: '2026-12-01T08:50:00Z' });
    const merged = coalesceNews([delay('2026-12-01T08:20:00Z')], latest, 15, why);
    expect(merged).toMatchObject({ type: 'flight-delay', ...why });
    const facts = merged && factsOf(merged);
    expect(facts).toMatchObject(why);
    const context = { ...facts, flight: latest, type: 'flight-delay' as const, locale: 'nl', passenger: { givenName: 'L', surname: 'D' }, booking: { reference: 'X7K2QP' } };
    expect(newsOfContext('flight-delay', context)).toMatchObject(why);
  });

  it("tells the newest snapshot's reason, not one that came with older pending news", () => {
    const latest = flight({ status: 'DELAYED', estimatedDeparture: '2026-12-01T08:50:00Z' });
    const older = { ...delay('2026-12-01T08:20:00Z'), ...why };
    expect(coalesceNews([older], latest, 15, { delayCode: '71' })).toMatchObject({ delayCode: '71' });
    const merged = coalesceNews([older], latest, 15, { delayCode: '71' });
    expect(merged).not.toHaveProperty('reason');
    expect(merged).not.toHaveProperty('reasonLanguage');
  });
});

describe('kindsOf and newsOfContext', () => {
  it('reads the facts a stored message carries', () => {
    const context = {
      ...delay('2026-12-01T08:20:00Z'),
      type: 'gate-change' as const,
      locale: 'en',
      passenger: { givenName: 'L', surname: 'D' },
      booking: { reference: 'X7K2QP' },
      previous: { estimatedDeparture: scheduled, departureGate: 'D7' },
    };
    const news = newsOfContext('gate-change', context);
    expect(news && kindsOf(news)).toEqual(['flight-delay', 'gate-change']);
    expect(newsOfContext('boarding-pass', context)).toBeUndefined();
  });
});

describe('newsDueAt', () => {
  const config = { FLIGHT_NEWS_WINDOW_SECONDS: 60, URGENT_NEWS_WINDOW_SECONDS: 5 };
  const now = new Date('2026-12-01T06:00:00Z');

  it('waits the window, shorter for urgent news, never later than what it replaces', () => {
    expect(newsDueAt('flight-delay', now, [], config)).toEqual(new Date('2026-12-01T06:01:00Z'));
    expect(newsDueAt('flight-cancellation', now, [], config)).toEqual(new Date('2026-12-01T06:00:05Z'));
    expect(newsDueAt('gate-change', now, [new Date('2026-12-01T06:00:20Z')], config)).toEqual(new Date('2026-12-01T06:00:20Z'));
  });
});
