import type { DeliveryChannel } from '../vocabulary/notification-types';

/** A provider's report about a message it took from us (WhatsApp status webhook, Twilio StatusCallback). */
export interface ProviderStatusUpdate {
  channel: DeliveryChannel;
  providerMessageId: string;
  /**
   * Our notification id when the provider echoes it (WhatsApp's biz_opaque_callback_data): finds a
   * notification whose provider message id we never stored (in doubt after a crash or failed write-back).
   */
  notificationId?: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** When the provider says it happened. */
  at: Date;
  errorCode?: string;
  errorText?: string;
  /** Whatever else is worth keeping in the timeline (pricing, conversation, segments …). */
  detail?: Record<string, unknown>;
}

export type StatusApplyResult =
  | { outcome: 'applied'; notificationId: string; from: string; to: string }
  | { outcome: 'recorded-only'; notificationId: string; status: string }
  | { outcome: 'unknown-message' };

/**
 * Status order: a notification only ever moves forward. `failed` outranks `sent` (the provider gave up
 * after taking it) but not `delivered`/`read`: a late failure cannot undo a delivery.
 */
export const STATUS_RANK: Record<string, number> = {
  pending: 0,
  sending: 1,
  in_doubt: 1,
  sent: 2,
  failed: 3,
  delivered: 4,
  read: 5,
};

export function movesForward(current: string, next: string): boolean {
  if (!(current in STATUS_RANK)) return false; // superseded, cancelled: closed for good
  return STATUS_RANK[next] > STATUS_RANK[current];
}
