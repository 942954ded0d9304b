import type { Channel, NotificationType } from '../notifications/notification-types';
import type { RenderedContent } from '../rendering/rendered-content';

export interface Attachment {
  name: string;
  contentType: string;
  content: Buffer;
}

/** What an adapter is asked to deliver: one rendered message to one recipient on one channel. */
export interface OutboundMessage {
  notificationId: string;
  type: NotificationType;
  channel: Channel;
  /** E.164 phone number or e-mail address; adapters mask it in any log line. */
  recipient: string;
  locale: string;
  content: RenderedContent;
  attachments: Attachment[];
  /** Carried from the event to the provider, so one id follows a message through every log. */
  correlationId: string;
}

/**
 * How a provider answered. `delivered` means the adapter itself knows it arrived (the sandbox);
 * `accepted` means the provider took it and will report delivery later through its webhook.
 */
export type SendResult =
  | { outcome: 'delivered' | 'accepted'; providerMessageId: string; detail?: Record<string, unknown> }
  | { outcome: 'retryable'; code: string; message: string; retryAfterMs?: number }
  | { outcome: 'permanent'; code: string; message: string };

/** One provider behind one interface (sandbox now; whatsapp, sms, email, webhook follow). */
export interface ChannelAdapter {
  /** Name recorded in each attempt, e.g. 'sandbox' or 'whatsapp-cloud'. */
  readonly name: string;
  send(message: OutboundMessage): Promise<SendResult>;
}
