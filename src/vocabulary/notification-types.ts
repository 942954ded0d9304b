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
  'checkin-open',
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

/**
 * Channels that message a passenger: they need the passenger's consent, a contact and a template. The event
 * contract names contacts and consents by these keys (Messenger: a Page-scoped ID; WeChat: an Official Account OpenID),
 * but for `push`, whose contact is the airline app's account id (`contacts.app`; the account's registered devices
 * are the destinations).
 */
export const CHANNELS = ['whatsapp', 'sms', 'email', 'messenger', 'wechat', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Every way a notification can leave: the passenger channels plus signed webhooks to partners. */
export const DELIVERY_CHANNELS = [...CHANNELS, 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export const NOTIFICATION_STATUSES = [
  'pending',
  'sending',
  /** The provider may have taken it (crash, timeout or failed write-back after the request): settled before any resend. */
  'in_doubt',
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
