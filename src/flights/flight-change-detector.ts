import type { NotificationType } from '../vocabulary/notification-types';
import type { FlightView } from '../vocabulary/render-context';

/** The fields of a flight-operations snapshot that news is made of. */
export interface FlightSnapshot {
  status: string;
  scheduledDeparture: string;
  estimatedDeparture?: string | null;
  departureGate?: string | null;
  departureTerminal?: string | null;
  baggageBelt?: string | null;
  divertedTo?: string | null;
}

export interface FlightChange {
  type: NotificationType;
  delay?: { minutes: number; earlier: boolean };
  previous?: { estimatedDeparture?: string; departureGate?: string; departureTerminal?: string };
}

export interface DetectedChanges {
  changes: FlightChange[];
  /** The departure time passengers have now been told; the next delay news is measured from it. */
  announcedDeparture: string;
}

const BEFORE_DEPARTURE = new Set(['SCHEDULED', 'DELAYED', 'BOARDING']);
const MINUTE = 60_000;

/**
 * Compares a new snapshot of a flight with the previous one and says what passengers must hear:
 * a delay (or an earlier departure) of at least the threshold against what they were last told, a new
 * departure gate or terminal, boarding, a cancellation, a diversion, the baggage belt on arrival.
 * A first snapshot is compared with the schedule (nothing known yet, departing on time).
 * Terminal news (cancellation, diversion) is told alone: a delay of a cancelled flight is noise.
 */
export function detectFlightChanges(
  previous: FlightSnapshot | undefined,
  next: FlightSnapshot,
  announcedDeparture: string | undefined,
  thresholdMinutes: number,
): DetectedChanges {
  const announced = announcedDeparture ?? next.scheduledDeparture;
  const before = previous?.status ?? 'SCHEDULED';
  if (next.status === 'CANCELLED') {
    return { changes: before === 'CANCELLED' ? [] : [{ type: 'flight-cancellation' }], announcedDeparture: announced };
  }
  if (next.status === 'DIVERTED') {
    return { changes: before === 'DIVERTED' ? [] : [{ type: 'flight-diversion' }], announcedDeparture: announced };
  }

  const changes: FlightChange[] = [];
  let newAnnounced = announced;
  const estimated = next.estimatedDeparture ?? next.scheduledDeparture;
  const shift = Date.parse(estimated) - Date.parse(announced);
  if (BEFORE_DEPARTURE.has(next.status) && Math.abs(shift) >= thresholdMinutes * MINUTE) {
    changes.push({
      type: 'flight-delay',
      delay: { minutes: Math.round((Date.parse(estimated) - Date.parse(next.scheduledDeparture)) / MINUTE), earlier: shift < 0 },
      previous: { estimatedDeparture: announced },
    });
    newAnnounced = estimated;
  }

  // A move between known gates or terminals; a first assignment is not news. `previous` names what moved.
  const oldGate = previous?.departureGate ?? undefined;
  const newGate = next.departureGate ?? undefined;
  const oldTerminal = previous?.departureTerminal ?? undefined;
  const newTerminal = next.departureTerminal ?? undefined;
  const gateMoved = Boolean(oldGate && newGate && oldGate !== newGate);
  const terminalMoved = Boolean(oldTerminal && newTerminal && oldTerminal !== newTerminal);
  if (BEFORE_DEPARTURE.has(next.status) && (gateMoved || terminalMoved)) {
    changes.push({
      type: 'gate-change',
      previous: { ...(gateMoved ? { departureGate: oldGate } : {}), ...(terminalMoved ? { departureTerminal: oldTerminal } : {}) },
    });
  }

  if (next.status === 'BOARDING' && before !== 'BOARDING') changes.push({ type: 'boarding-started' });

  if (next.status === 'ARRIVED' && next.baggageBelt && next.baggageBelt !== (previous?.baggageBelt ?? undefined)) {
    changes.push({ type: 'baggage-belt' });
  }
  return { changes, announcedDeparture: newAnnounced };
}

/** Drops nulls so templates see absent fields as absent. */
export function toFlightView(
  identity: { carrier: string; flightNumber: string; departureDate: string; origin: string; destination: string },
  snapshot: { scheduledDeparture: string } & {
    [K in Exclude<keyof FlightView, 'code' | 'carrier' | 'flightNumber' | 'departureDate' | 'origin' | 'destination'>]?: string | null;
  },
): FlightView {
  const optional = [
    'status',
    'estimatedDeparture',
    'scheduledArrival',
    'estimatedArrival',
    'departureGate',
    'departureTerminal',
    'arrivalGate',
    'baggageBelt',
    'divertedTo',
  ] as const;
  const view: FlightView = {
    code: `${identity.carrier}${identity.flightNumber}`,
    carrier: identity.carrier,
    flightNumber: identity.flightNumber,
    departureDate: identity.departureDate,
    origin: identity.origin,
    destination: identity.destination,
    scheduledDeparture: snapshot.scheduledDeparture,
  };
  for (const field of optional) {
    const value = snapshot[field];
    if (value !== null && value !== undefined) view[field] = value;
  }
  return view;
}
