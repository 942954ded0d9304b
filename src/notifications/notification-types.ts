/** The kinds of news a passenger can get. Template folders under templates/ carry these names. */
export const NOTIFICATION_TYPES = [
  'booking-confirmation',
  'itinerary-change',
  'booking-cancellation',
  'boarding-pass',
  'flight-delay',
  'gate-change',
  'boarding-started',
  'flight-cancellation',
  'flight-diversion',
  'baggage-belt',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Types that tell about the operation of one flight; newer news of the same flight supersedes older. */
export const FLIGHT_NEWS_TYPES: readonly NotificationType[] = [
  'flight-delay',
  'gate-change',
  'boarding-started',
  'flight-cancellation',
  'flight-diversion',
  'baggage-belt',
];

/** Channels a passenger can consent to. The event contract names contacts by these keys. */
export const CHANNELS = ['whatsapp', 'sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const NOTIFICATION_STATUSES = [
  'pending',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'superseded',
  'cancelled',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export function isNotificationType(value: string): value is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value);
}

export function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}
