/** The CloudEvent types of event contract v1 (docs/asyncapi.yaml): what the events module accepts, what metrics label. */
export const EVENT_TYPES = [
  'booking.confirmed',
  'booking.changed',
  'booking.cancelled',
  'checkin.completed',
  'flight.status.changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
