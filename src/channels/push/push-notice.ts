import { FLIGHT_NEWS_TYPES } from '../../vocabulary/notification-types';
import { flightKey } from '../../vocabulary/booking-records';
import type { RenderContext } from '../../vocabulary/render-context';
import type { NotificationType } from '../../vocabulary/notification-types';

/** What every platform's message is made of (FCM and APNs each lay it out their own way). */
export interface PushNotice {
  title: string;
  body: string;
  /** For the app's deep link: which notification, booking and flight (strings only: FCM data is string to string). */
  data: Record<string, string>;
  /**
   * Newer news with the same id replaces older on the lock screen: the flight for flight news (a cancellation
   * replaces the delay), the notification itself otherwise (a copy sent again replaces the first).
   */
  collapseId: string;
  /** The booking: the phone groups its notifications together. */
  threadId: string;
  /** Past this the push services stop trying to reach a phone that is off. */
  expiresAt: Date;
  /** Flight news and the boarding pass: delivered at once; the rest may wait for the phone's power state. */
  urgent: boolean;
}

/** APNs refuses a collapse id over 64 bytes; a flight key (`KL1234-2026-12-01`) and a UUID are far shorter. */
export const COLLAPSE_ID_MAX_BYTES = 64;
const HOUR_MS = 3_600_000;
/** News that is not about one flight's operation stays worth delivering for a day. */
const DEFAULT_LIFETIME_MS = 24 * HOUR_MS;

export interface NoticeInput {
  notificationId: string;
  type: NotificationType;
  context: RenderContext;
  title: string;
  body: string;
}

export function pushNotice(input: NoticeInput, now: Date = new Date()): PushNotice {
  const { context, type } = input;
  const flight = context.flight;
  const news = FLIGHT_NEWS_TYPES.includes(type) && flight !== undefined;
  const key = flight ? flightKey(flight) : undefined;
  return {
    title: input.title,
    body: input.body,
    data: {
      notificationId: input.notificationId,
      type,
      bookingReference: context.booking.reference,
      ...(key ? { flight: key } : {}),
    },
    collapseId: news && key ? `flight-${key}`.slice(0, COLLAPSE_ID_MAX_BYTES) : input.notificationId,
    threadId: context.booking.reference,
    expiresAt: news ? flightNewsExpiry(context, now) : new Date(now.getTime() + DEFAULT_LIFETIME_MS),
    urgent: news || type === 'boarding-pass' || type === 'itinerary-change',
  };
}

/** Flight news is worth delivering until an hour after the flight lands (the belt comes after), at least an hour from now. */
function flightNewsExpiry(context: RenderContext, now: Date): Date {
  const f = context.flight;
  const lands = f?.estimatedArrival ?? f?.scheduledArrival;
  const departs = f?.estimatedDeparture ?? f?.scheduledDeparture;
  const end = lands ? Date.parse(lands) : departs ? Date.parse(departs) + 12 * HOUR_MS : now.getTime() + DEFAULT_LIFETIME_MS;
  return new Date(Math.max(end + HOUR_MS, now.getTime() + HOUR_MS));
}
