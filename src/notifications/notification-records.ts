import type { RenderedContent } from '../rendering/rendered-content';
import type { RenderContext } from '../vocabulary/render-context';
import type { TraceCarrier } from '../tracing/trace-context';
import type { DeliveryChannel, NotificationStatus, NotificationType } from '../vocabulary/notification-types';

/** A notification row as the rest of the service sees it. */
export interface NotificationRecord {
  id: string;
  dedupeKey: string;
  type: NotificationType;
  channel: DeliveryChannel;
  status: NotificationStatus;
  bookingReference: string;
  passengerId: string;
  flightKey: string | null;
  locale: string;
  recipient: string;
  context: RenderContext;
  content: RenderedContent | null;
  eventSource: string;
  eventId: string;
  attempts: number;
  dueAt: Date;
  providerMessageId: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** W3C trace context of the event's consume span, when tracing was on (the send continues that trace). */
  traceContext?: TraceCarrier | null;
}

export interface TimelineEntry {
  at: Date;
  kind: string;
  detail: Record<string, unknown> | null;
}

export interface NotificationRow {
  id: string;
  dedupe_key: string;
  type: NotificationType;
  channel: DeliveryChannel;
  status: NotificationStatus;
  booking_reference: string;
  passenger_id: string;
  flight_key: string | null;
  locale: string;
  recipient: string;
  context: RenderContext;
  content: RenderedContent | null;
  event_source: string;
  event_id: string;
  attempts: number;
  due_at: Date;
  provider_message_id: string | null;
  last_error_code: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  trace_context?: TraceCarrier | null;
}

/** A notification as the list shows it: without the facts it renders from, which are in a table of their own. */
export type ListedNotification = Omit<NotificationRecord, 'context'>;

/**
 * Where a notification is read with its context (`SELECT n.*, c.context FROM ${NOTIFICATION_WITH_CONTEXT}`). The
 * context is written once, in notification_contexts, so the updates of a notification's row need not copy it
 * (docs/decisions/0052). An outer join: a row stored without one (by hand) is still found, and fails to render
 * where it is sent, rather than being claimed and never seen again.
 */
export const NOTIFICATION_WITH_CONTEXT = 'notifications n LEFT JOIN notification_contexts c ON c.id = n.id';

/**
 * The columns a NotificationRecord is made of, but its context, of notifications aliased `n`: a claim returns only
 * these (each timestamp is parsed into a Date in Node, on the thread that sends).
 */
export const RECORD_COLUMNS = `n.id, n.dedupe_key, n.type, n.channel, n.status, n.booking_reference, n.passenger_id, n.flight_key, n.locale,
  n.recipient, n.content, n.event_source, n.event_id, n.attempts, n.due_at, n.provider_message_id, n.last_error_code, n.last_error,
  n.created_at, n.updated_at, n.trace_context`;

export function toNotification(r: NotificationRow): NotificationRecord {
  return { ...toListedNotification(r), context: r.context };
}

export function toListedNotification(r: Omit<NotificationRow, 'context'>): ListedNotification {
  return {
    id: r.id,
    dedupeKey: r.dedupe_key,
    type: r.type,
    channel: r.channel,
    status: r.status,
    bookingReference: r.booking_reference,
    passengerId: r.passenger_id,
    flightKey: r.flight_key,
    locale: r.locale,
    recipient: r.recipient,
    content: r.content,
    eventSource: r.event_source,
    eventId: r.event_id,
    attempts: r.attempts,
    dueAt: r.due_at,
    providerMessageId: r.provider_message_id,
    lastErrorCode: r.last_error_code,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    traceContext: r.trace_context ?? null,
  };
}
