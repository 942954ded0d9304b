import type { RenderContext } from '../vocabulary/render-context';
import { airportCityName } from './airports';
import { DELAY_REASONS_NAMESPACE } from './iata-delay-codes';
import { passengerReason } from './passenger-reason';
import { formatLocalDate, formatLocalTime } from './local-time';
import type { MessageCatalogs } from './message-catalogs';

/** What a value is worked out with: the catalog the message reads and the locale dates are formatted in. */
export interface ValueScope {
  context: RenderContext;
  catalogs: MessageCatalogs;
  /** The catalog's locale ('pt', 'zh-Hans'): which language the words are in. */
  catalogLocale: string;
  /** The passenger's own locale when it speaks the catalog's language (pt-PT reading pt), else the catalog's. */
  formatLocale: string;
  /** 'sms' and 'push' pick a message's shorter ".sms" wording where the catalog has one. */
  channel: string;
}

/** Channels whose text must be short (an SMS segment budget, a lock-screen notification): the ".sms" wordings. */
export function usesShortWording(channel: string): boolean {
  return channel === 'sms' || channel === 'push';
}

/** A message argument's value; a list is joined by the layout (one line each in e-mail, "; " in text). */
export type ArgumentValue = string | number | readonly string[];
type ValueOf = (scope: ValueScope) => ArgumentValue | undefined;

const departure = (c: RenderContext) => c.flight?.estimatedDeparture ?? c.flight?.scheduledDeparture;
const time = (instant: string | undefined, airport: string | undefined, s: ValueScope) =>
  instant && airport ? formatLocalTime(instant, airport, s.formatLocale) : undefined;
const date = (instant: string | undefined, airport: string | undefined, s: ValueScope) =>
  instant && airport ? formatLocalDate(instant, airport, s.formatLocale) : undefined;

/** A city in the catalog's language where the catalog names it (airports namespace), else in English. */
export function cityName(iata: string, s: Pick<ValueScope, 'catalogs' | 'catalogLocale'>): string {
  return s.catalogs.optional(s.catalogLocale, 'airports', iata.toUpperCase()) ?? airportCityName(iata, 'en');
}

/** A phrase message of the catalog (plural minutes, a segment line), in the channel's wording. */
export function phrase(s: ValueScope, key: string, values: Record<string, string | number>): string {
  const smsKey = `${key}.sms`;
  const chosen = usesShortWording(s.channel) && s.catalogs.has(s.catalogLocale, 'messages', smsKey) ? smsKey : key;
  return s.catalogs.format(s.catalogLocale, 'messages', chosen, values);
}

/**
 * The values messages may use, by argument name. Each is worked out only when a shown message asks
 * for it, in the airport's time zone and the passenger's locale; absent facts are undefined, and a
 * message that needs one is a definition error the catalog tests catch.
 */
export const MESSAGE_VALUES: Readonly<Record<string, ValueOf>> = {
  name: ({ context }) => context.passenger.givenName,
  booking: ({ context }) => context.booking.reference,
  flight: ({ context }) => context.flight?.code,
  origin: (s) => (s.context.flight ? cityName(s.context.flight.origin, s) : undefined),
  destination: (s) => (s.context.flight ? cityName(s.context.flight.destination, s) : undefined),
  originCode: ({ context }) => context.flight?.origin,
  destinationCode: ({ context }) => context.flight?.destination,
  time: (s) => time(departure(s.context), s.context.flight?.origin, s),
  date: (s) => date(departure(s.context), s.context.flight?.origin, s),
  scheduledTime: (s) => time(s.context.flight?.scheduledDeparture, s.context.flight?.origin, s),
  scheduledDate: (s) => date(s.context.flight?.scheduledDeparture, s.context.flight?.origin, s),
  previousTime: (s) => time(s.context.previous?.estimatedDeparture, s.context.flight?.origin, s),
  arrivalTime: (s) => time(s.context.flight?.estimatedArrival, s.context.flight?.destination, s),
  arrivalDate: (s) => date(s.context.flight?.estimatedArrival, s.context.flight?.destination, s),
  delay: (s) => (s.context.delay ? phrase(s, 'phrase.minutes', { minutes: Math.abs(s.context.delay.minutes) }) : undefined),
  gate: ({ context }) => context.checkin?.gate ?? context.flight?.departureGate,
  previousGate: ({ context }) => context.previous?.departureGate,
  terminal: ({ context }) => context.flight?.departureTerminal,
  previousTerminal: ({ context }) => context.previous?.departureTerminal,
  belt: ({ context }) => context.flight?.baggageBelt,
  divertedTo: (s) => (s.context.flight?.divertedTo ? cityName(s.context.flight.divertedTo, s) : undefined),
  divertedToCode: ({ context }) => context.flight?.divertedTo,
  seat: ({ context }) => context.checkin?.seat,
  sequence: ({ context }) => (context.checkin ? String(context.checkin.sequenceNumber) : undefined),
  group: ({ context }) => context.checkin?.boardingGroup,
  googleWalletUrl: ({ context }) => context.wallet?.googleSaveUrl,
  appleWalletUrl: ({ context }) => context.wallet?.applePassUrl,
  /** When the boarding pass was issued (the check-in), as date and time at the departure airport. */
  issuedAt: (s) => {
    const at = s.context.checkin?.issuedAt ?? s.context.checkin?.checkedInAt;
    const airport = s.context.flight?.origin;
    return at && airport && !Number.isNaN(Date.parse(at)) ? `${date(at, airport, s)} ${time(at, airport, s)}` : undefined;
  },
  boardingTime: (s) => time(s.context.checkin?.boardingTime, s.context.flight?.origin, s),
  reason: reasonValue,
  segments: (s) =>
    s.context.segments?.map((segment) =>
      phrase(s, 'phrase.segment', {
        flight: segment.code,
        origin: cityName(segment.origin, s),
        destination: cityName(segment.destination, s),
        date: formatLocalDate(segment.scheduledDeparture, segment.origin, s.formatLocale),
        time: formatLocalTime(segment.scheduledDeparture, segment.origin, s.formatLocale),
        arrivalTime: formatLocalTime(segment.scheduledArrival, segment.destination, s.formatLocale),
      }),
    ),
};

/**
 * The reason in the passenger's language: an IATA delay code explained by the catalog, or the
 * producer's own words when it said they are in this language; otherwise nothing (never an English
 * sentence inside a Korean message).
 */
function reasonValue(s: ValueScope): string | undefined {
  const reason = passengerReason(s.context, s.catalogLocale);
  if (!reason) return undefined;
  return reason.kind === 'text' ? reason.text : s.catalogs.format(s.catalogLocale, DELAY_REASONS_NAMESPACE, reason.key);
}
