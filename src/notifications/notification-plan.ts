import type { RenderContext } from '../vocabulary/render-context';
import type { DeliveryChannel, NotificationType } from '../vocabulary/notification-types';

/** A notification decided by the planner and not yet stored. */
export interface NotificationPlan {
  dedupeKey: string;
  type: NotificationType;
  channel: DeliveryChannel;
  recipient: string;
  locale: string;
  bookingReference: string;
  passengerId: string;
  flightKey?: string;
  eventSource: string;
  eventId: string;
  context: RenderContext;
  /** When it may be sent; absent = at once. Flight news waits out its coalescing window. */
  dueAt?: Date;
}

/** The CloudEvents identity of the event that caused a plan; (source, id) is unique. */
export interface EventRef {
  source: string;
  id: string;
}
