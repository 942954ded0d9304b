import type { PlanningConfig } from '../config/config-slices';
import type { NewsFacts } from '../notifications/notification-planner.service';
import type { NotificationType } from '../vocabulary/notification-types';
import type { FlightView, RenderContext } from '../vocabulary/render-context';
import type { FlightChange } from './flight-change-detector';

/** Flight news, most important first: a message carrying several facts takes the first type among them. */
export const NEWS_PRIORITY = [
  'flight-cancellation',
  'flight-diversion',
  'boarding-started',
  'flight-delay',
  'gate-change',
  'baggage-belt',
] as const satisfies readonly NotificationType[];
export type FlightNewsType = (typeof NEWS_PRIORITY)[number];

/** News that waits only the short window: a passenger must hear it while it still helps. */
const URGENT: ReadonlySet<NotificationType> = new Set(['boarding-started', 'flight-cancellation', 'flight-diversion']);
const BEFORE_DEPARTURE = new Set(['SCHEDULED', 'DELAYED', 'BOARDING']);
const MINUTE = 60_000;

/**
 * Why, as the newest snapshot says: the producer's free text with its language, and the IATA delay code. They
 * travel together so that the renderer can decide which of them a passenger may be shown (passenger-reason.ts).
 */
export interface NewsReason {
  reason?: string;
  reasonLanguage?: string;
  delayCode?: string;
}

/** The reason fields of a snapshot or a stored context, each left out when absent or null. */
export function reasonOf(source: { reason?: string | null; reasonLanguage?: string | null; delayCode?: string | null }): NewsReason {
  return {
    ...(source.reason ? { reason: source.reason } : {}),
    ...(source.reasonLanguage ? { reasonLanguage: source.reasonLanguage } : {}),
    ...(source.delayCode ? { delayCode: source.delayCode } : {}),
  };
}

/** What one flight-news message says: a pending notification's facts, or what a new snapshot brought. */
export interface FlightNews extends NewsReason {
  type: NotificationType;
  flight: FlightView;
  delay?: { minutes: number; earlier: boolean };
  /** What the passenger was told before: the departure time, gate and terminal this news replaces. */
  previous?: { estimatedDeparture?: string; departureGate?: string; departureTerminal?: string };
}

/** News merged into one message: `type` is the first of `kinds`, the facts it carries in priority order. */
export interface MergedNews extends FlightNews {
  type: FlightNewsType;
  kinds: FlightNewsType[];
}

export function isFlightNewsType(type: string): type is FlightNewsType {
  return (NEWS_PRIORITY as readonly string[]).includes(type);
}

/** The news a detected change makes, shown with the flight as it is now. */
export function newsOfChange(change: FlightChange, flight: FlightView, why: NewsReason = {}): FlightNews {
  return {
    type: change.type,
    flight,
    ...(change.delay ? { delay: change.delay } : {}),
    ...(change.previous ? { previous: change.previous } : {}),
    ...reasonOf(why),
  };
}

/** The news a stored notification carries (its render context), or nothing if it is not about a flight. */
export function newsOfContext(type: NotificationType, context: RenderContext): FlightNews | undefined {
  if (!isFlightNewsType(type) || !context.flight) return undefined;
  return {
    type,
    flight: context.flight,
    ...(context.delay ? { delay: context.delay } : {}),
    ...(context.previous ? { previous: context.previous } : {}),
    ...reasonOf(context),
  };
}

/** The kinds of news a message carries: its own type, plus a delay or a gate move it also tells. */
export function kindsOf(news: FlightNews): FlightNewsType[] {
  if (!isFlightNewsType(news.type)) return [];
  if (news.type === 'flight-cancellation' || news.type === 'flight-diversion' || news.type === 'baggage-belt') return [news.type];
  const kinds = new Set<FlightNewsType>([news.type]);
  if (news.delay && news.previous?.estimatedDeparture) kinds.add('flight-delay');
  if (news.previous?.departureGate || news.previous?.departureTerminal) kinds.add('gate-change');
  return NEWS_PRIORITY.filter((k) => kinds.has(k));
}

/**
 * Merges news about one flight for one passenger and channel — the still-pending messages, oldest first,
 * then what the newest snapshot brought — into the one message that is still true of `latest`, the flight
 * as it is now. A delay is measured from the departure time the passenger was last told (the oldest
 * pending news' "previous"), a gate move from the gate they were last told; a fact that no longer holds
 * (boarding after departure, a delay undone, a gate moved back) is dropped. Cancellation, diversion and
 * the baggage belt are told alone, and only while the flight is in that state. The reason (`why`) is the
 * newest snapshot's, like `latest`: an older reason no longer explains the flight as it is now.
 * Returns undefined when nothing is left worth a message.
 */
export function coalesceNews(items: readonly FlightNews[], latest: FlightView, thresholdMinutes: number, why: NewsReason = {}): MergedNews | undefined {
  const status = latest.status ?? 'SCHEDULED';
  const told = (kind: FlightNewsType) => items.some((item) => kindsOf(item).includes(kind));
  const alone = (type: FlightNewsType): MergedNews => ({ type, kinds: [type], flight: latest, ...reasonOf(why) });
  if (status === 'CANCELLED') return told('flight-cancellation') ? alone('flight-cancellation') : undefined;
  if (status === 'DIVERTED') return told('flight-diversion') ? alone('flight-diversion') : undefined;
  if (status === 'ARRIVED') return told('baggage-belt') && latest.baggageBelt ? alone('baggage-belt') : undefined;
  if (!BEFORE_DEPARTURE.has(status)) return undefined;

  const kinds: FlightNewsType[] = [];
  const previous: NonNullable<FlightNews['previous']> = {};
  let delay: FlightNews['delay'];
  if (status === 'BOARDING' && told('boarding-started')) kinds.push('boarding-started');

  const toldDeparture = items.find((item) => item.delay && item.previous?.estimatedDeparture)?.previous?.estimatedDeparture;
  if (toldDeparture) {
    const departs = Date.parse(latest.estimatedDeparture ?? latest.scheduledDeparture);
    const shift = departs - Date.parse(toldDeparture);
    if (Math.abs(shift) >= thresholdMinutes * MINUTE) {
      delay = { minutes: Math.round((departs - Date.parse(latest.scheduledDeparture)) / MINUTE), earlier: shift < 0 };
      previous.estimatedDeparture = toldDeparture;
      kinds.push('flight-delay');
    }
  }

  const toldGate = items.find((item) => item.previous?.departureGate)?.previous?.departureGate;
  const toldTerminal = items.find((item) => item.previous?.departureTerminal)?.previous?.departureTerminal;
  if (toldGate && latest.departureGate && toldGate !== latest.departureGate) previous.departureGate = toldGate;
  if (toldTerminal && latest.departureTerminal && toldTerminal !== latest.departureTerminal) previous.departureTerminal = toldTerminal;
  if (previous.departureGate || previous.departureTerminal) kinds.push('gate-change');

  if (kinds.length === 0) return undefined;
  return {
    type: kinds[0],
    kinds,
    flight: latest,
    ...(delay ? { delay } : {}),
    ...(Object.keys(previous).length > 0 ? { previous } : {}),
    ...reasonOf(why),
  };
}

/** The facts the planner puts in the render context. */
export function factsOf(news: FlightNews): NewsFacts {
  return {
    flight: news.flight,
    ...(news.delay ? { delay: news.delay } : {}),
    ...(news.previous ? { previous: news.previous } : {}),
    ...reasonOf(news),
  };
}

/**
 * When a message may go: at the end of its coalescing window, counted from the first news of the run
 * (the earliest due time of what it replaces), so a stream of snapshots cannot postpone news forever;
 * urgent news shortens the wait.
 */
export function newsDueAt(
  type: NotificationType,
  now: Date,
  replacedDue: readonly Date[],
  config: Pick<PlanningConfig, 'FLIGHT_NEWS_WINDOW_SECONDS' | 'URGENT_NEWS_WINDOW_SECONDS'>,
): Date {
  const window = URGENT.has(type) ? config.URGENT_NEWS_WINDOW_SECONDS : config.FLIGHT_NEWS_WINDOW_SECONDS;
  return new Date(Math.min(now.getTime() + window * 1000, ...replacedDue.map((d) => d.getTime())));
}
