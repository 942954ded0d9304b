/**
 * What the recorders of PipelineMetrics are told, as shapes of their own: metrics sit in the platform layer, below
 * the modules they measure, so they name only the fields they read. The events, notifications, channels and
 * status types of those modules fit these shapes as they are.
 */

/** What became of one consumed event (the events module's IngestOutcome). */
export type ConsumedOutcome =
  | { kind: 'applied'; notifications: number }
  | { kind: 'duplicate' }
  | { kind: 'parked'; reasonCode: string };

/** The notification one send was for (a NotificationRecord). */
export interface SentNotification {
  id: string;
  type: string;
  channel: string;
  recipient: string;
  eventSource: string;
  eventId: string;
}

/** An adapter's answer to one send (a channel adapter's SendResult). */
export type SendAnswer =
  | { outcome: 'delivered' | 'accepted'; providerMessageId: string }
  | { outcome: 'retryable' | 'permanent' | 'paused'; code: string; message: string }
  | { outcome: 'deferred'; code?: string };

/** One delivery report from a provider webhook, and what was done with it. */
export interface StatusReport {
  channel: string;
  status: string;
  errorCode?: string;
}
export interface StatusReportOutcome {
  outcome: string;
}
