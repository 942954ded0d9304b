import { NOTIFICATION_TYPES, type NotificationType } from '../vocabulary/notification-types';
import type { FlightView, RenderContext } from '../vocabulary/render-context';
import { MESSAGE_DEFINITIONS } from './message-definitions';
import { shownLines } from './message-composer';

/** One combination of facts a type can tell, with a context that tells exactly those. */
export interface FactCombination {
  type: NotificationType;
  facts: string[];
  context: RenderContext;
}

/**
 * The switches that decide which lines a message shows: every fact the planner can put in a context,
 * present or absent. Enumerating all of them (a few thousand contexts, evaluated without rendering)
 * finds every combination of lines a definition can produce — the set of WhatsApp templates needed.
 * A definition whose condition reads a field not switched here would leave combinations unfound:
 * message-combinations.spec checks every optional line is both shown and not shown by some context.
 */
const SWITCHES: ReadonlyArray<readonly ((c: RenderContext) => RenderContext)[]> = [
  [same, (c) => ({ ...c, delay: { minutes: 75, earlier: false }, previous: { ...c.previous, estimatedDeparture: c.flight?.scheduledDeparture } }), (c) => ({ ...c, delay: { minutes: -20, earlier: true }, previous: { ...c.previous, estimatedDeparture: '2026-12-01T08:35:00Z' } })],
  [same, (c) => withFlight(c, { departureGate: undefined })],
  [same, (c) => ({ ...c, previous: { ...c.previous, departureGate: 'E4' } })],
  [same, (c) => withFlight(c, { departureTerminal: undefined })],
  [same, (c) => ({ ...c, previous: { ...c.previous, departureTerminal: '1' } })],
  [same, (c) => withFlight(c, { estimatedArrival: undefined })],
  [same, (c) => ({ ...c, delayCode: '93' })],
  [same, (c) => withFlight(c, { divertedTo: undefined })],
  [same, (c) => (c.checkin ? { ...c, checkin: { ...c.checkin, boardingTime: undefined } } : c)],
  [same, (c) => (c.checkin ? { ...c, checkin: { ...c.checkin, boardingGroup: undefined } } : c)],
  [same, (c) => (c.checkin ? { ...c, checkin: { ...c.checkin, gate: undefined } } : c)],
];

/** Every distinct combination of facts each type can tell (or the types given), with one context each. */
export function factCombinations(): readonly FactCombination[] {
  // Definitions do not change while the process runs: enumerate once.
  all ??= enumerate(NOTIFICATION_TYPES, fullContext);
  return all;
}
let all: readonly FactCombination[] | undefined;

function enumerate(types: readonly NotificationType[], base: (type: NotificationType) => RenderContext): FactCombination[] {
  const found: FactCombination[] = [];
  for (const type of types) {
    const seen = new Set<string>();
    const applies = MESSAGE_DEFINITIONS[type].applies ?? (() => true);
    for (const context of expand([base(type)], 0)) {
      if (!applies(context)) continue;
      const facts = shownLines(MESSAGE_DEFINITIONS[type].lines, context).filter((l) => l.when).map((l) => l.fact);
      const key = facts.join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ type, facts, context });
    }
  }
  return found;
}

function expand(contexts: RenderContext[], switchIndex: number): RenderContext[] {
  if (switchIndex === SWITCHES.length) return contexts;
  return expand(contexts.flatMap((c) => SWITCHES[switchIndex].map((apply) => apply(c))), switchIndex + 1);
}

function same(c: RenderContext): RenderContext {
  return c;
}

function withFlight(c: RenderContext, changes: Partial<FlightView>): RenderContext {
  return c.flight ? { ...c, flight: { ...c.flight, ...changes } } : c;
}

/**
 * A context with every fact present and long, realistic values, so length checks (WhatsApp's 1,024
 * characters, the SMS budget) see a worst case rather than a best one.
 */
export function fullContext(type: NotificationType, locale = 'en'): RenderContext {
  return {
    type,
    locale,
    passenger: { givenName: 'Maximiliane-Charlotte', surname: 'Vandenberghe-Oosterhuis', ticketNumber: '0742123456789' },
    booking: { reference: 'X7K2QP' },
    flight: {
      code: 'KL1234',
      carrier: 'KL',
      flightNumber: '1234',
      departureDate: '2026-12-01',
      origin: 'AMS',
      destination: 'GIG',
      status: 'DELAYED',
      scheduledDeparture: '2026-12-01T07:35:00Z',
      estimatedDeparture: '2026-12-01T08:50:00Z',
      scheduledArrival: '2026-12-01T19:35:00Z',
      estimatedArrival: '2026-12-01T20:50:00Z',
      departureGate: 'F9',
      departureTerminal: '2',
      baggageBelt: '14',
      divertedTo: 'GRU',
    },
    segments: [
      { code: 'KL1234', origin: 'AMS', destination: 'GIG', departureDate: '2026-12-01', scheduledDeparture: '2026-12-01T07:35:00Z', scheduledArrival: '2026-12-01T19:35:00Z' },
      { code: 'KL1235', origin: 'GIG', destination: 'AMS', departureDate: '2026-12-15', scheduledDeparture: '2026-12-15T21:35:00Z', scheduledArrival: '2026-12-16T09:35:00Z' },
    ],
    checkin: { seat: '32A', sequenceNumber: 142, compartment: 'Y', boardingGroup: '3', boardingTime: '2026-12-01T07:05:00Z', gate: 'F9', checkedInAt: '2026-11-30T09:00:00Z' },
  };
}
