import type { RenderContext } from '../vocabulary/render-context';
import { splitSharedContexts } from './shared-context';

const flight = (destination = 'CDG') => ({
  code: 'KL1000',
  carrier: 'KL',
  flightNumber: '1000',
  departureDate: '2026-12-13',
  origin: 'AMS',
  destination,
  status: 'CANCELLED',
  scheduledDeparture: '2026-12-13T06:00:00Z',
});

function context(givenName: string, locale = 'en', destination = 'CDG'): RenderContext {
  return {
    type: 'flight-cancellation',
    locale,
    passenger: { givenName, surname: 'Lovelace' },
    booking: { reference: `B-${givenName}` },
    flight: flight(destination), // a new object for each passenger, as the planner builds it
    reason: 'operational reasons',
  };
}

/** What PostgreSQL stores: the shared fields with the row's own on top (`shared || own`). */
const joined = (shared: object | null, own: object) => ({ ...(shared ?? {}), ...own });

describe('splitSharedContexts', () => {
  it('sends the fields every passenger of the event has alike once, and each passenger only what is theirs', () => {
    const contexts = [context('Ada'), context('Grace', 'nl'), context('Alan')];
    const { shared, own } = splitSharedContexts(contexts);
    expect(shared).toEqual({ type: 'flight-cancellation', flight: flight(), reason: 'operational reasons' });
    expect(own[1]).toEqual({ locale: 'nl', passenger: { givenName: 'Grace', surname: 'Lovelace' }, booking: { reference: 'B-Grace' } });
    contexts.forEach((c, i) => expect(joined(shared, own[i])).toEqual(c));
  });

  it('keeps a field with its rows when any one of them differs', () => {
    const contexts = [context('Ada'), context('Grace', 'en', 'NCE')];
    const { shared, own } = splitSharedContexts(contexts);
    expect(shared).not.toHaveProperty('flight');
    expect(shared).toHaveProperty('locale', 'en');
    expect(own[1].flight?.destination).toBe('NCE');
    contexts.forEach((c, i) => expect(joined(shared, own[i])).toEqual(c));
  });

  it('shares nothing for a single plan, and everything when two channels carry one passenger’s context', () => {
    const ada = context('Ada');
    expect(splitSharedContexts([ada])).toEqual({ shared: null, own: [ada] });
    const { shared, own } = splitSharedContexts([ada, ada]);
    expect(shared).toEqual(ada);
    expect(own).toEqual([{}, {}]);
  });

  it('keeps a field that only some contexts have with those contexts', () => {
    const delayed = { ...context('Ada'), delay: { minutes: 45, earlier: false } };
    const { shared, own } = splitSharedContexts([delayed, context('Grace')]);
    expect(shared).not.toHaveProperty('delay');
    expect(own[0].delay).toEqual({ minutes: 45, earlier: false });
    expect(own[1]).not.toHaveProperty('delay');
  });
});

describe('splitSharedContexts compares fields by value', () => {
  it('shares a field alike in every context, whatever the order of its own fields; Dates by their time', () => {
    const reordered = { ...context('Grace'), flight: { ...flight() } };
    const { scheduledDeparture, ...others } = reordered.flight;
    reordered.flight = { scheduledDeparture, ...others };
    expect(splitSharedContexts([context('Ada'), reordered]).shared).toHaveProperty('flight', flight());

    const at = (iso: string) => ({ ...context('Ada'), checkin: { seat: '1A', sequenceNumber: 1, compartment: 'Y', issuedAt: new Date(iso) as unknown as string } });
    expect(splitSharedContexts([at('2026-12-13T06:00:00Z'), at('2026-12-13T06:00:00Z')]).shared).toHaveProperty('checkin');
    expect(splitSharedContexts([at('2026-12-13T06:00:00Z'), at('2026-12-13T07:00:00Z')]).shared).not.toHaveProperty('checkin');
  });
});
