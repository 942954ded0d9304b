import type { DeliveryChannel, NotificationType } from '../vocabulary/notification-types';
import type { RenderContext } from '../vocabulary/render-context';
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
  channel: DeliveryChannel;
  /** E.164 phone number, e-mail address, or partner name for webhooks; adapters mask it in logs. */
  recipient: string;
  locale: string;
  content: RenderedContent;
  /** The facts the message was rendered from (WhatsApp template parameters, webhook payloads). */
  context: RenderContext;
  attachments: Attachment[];
  /** Carried from the event to the provider, so one id follows a message through every log. */
  correlationId: string;
}

/**
 * How a provider answered.
 * - delivered: the adapter itself knows it arrived (sandbox, SMTP server accepted for the mailbox).
 * - accepted: the provider took it and reports delivery later through its webhook.
 * - retryable: worth another try later (timeouts, 5xx, rate limits). `local`: the failure is on our side
 *   (disk full, outbox not writable), not the provider's; it is logged and shown in readiness.
 * - permanent: will never work (invalid number, blocked, template rejected).
 * - deferred: not now and not a failure (pair rate limit, closed conversation window): no attempt is spent.
 * - paused: our credentials were refused; the whole channel stops until an operator fixes it.
 */
export type SendResult =
  | {
      outcome: 'delivered' | 'accepted';
      providerMessageId: string;
      segments?: number;
      detail?: Record<string, unknown>;
      /**
       * What the provider carried, when it is less than was rendered: WhatsApp inside the 24-hour window
       * sends the text without its template form. Stored as the notification's content (what was sent is what is shown).
       */
      carried?: RenderedContent;
      /** Sent, yet part of the provider refused our credentials (push: one platform of two): pause the channel too. */
      pause?: { code: string; message: string };
    }
  | {
      outcome: 'retryable';
      code: string;
      message: string;
      detail?: Record<string, unknown>;
      retryAfterMs?: number;
      giveUpAfterAttempts?: number;
      local?: boolean;
      /** The request was written and no answer came (timeout, connection lost): the provider may have the message. */
      mayHaveSent?: boolean;
    }
  /** `detail`: what the timeline should show besides code and message (push: each device's answer). */
  | { outcome: 'permanent'; code: string; message: string; detail?: Record<string, unknown> }
  | { outcome: 'deferred'; reason: string; retryAfterMs: number; /** Kept as the notification's last_error_code while it waits. */ code?: string }
  | { outcome: 'paused'; code: string; message: string; detail?: Record<string, unknown> };

/**
 * How a notification whose send may have succeeded (in doubt) is settled on this adapter:
 * - resend: sending again is harmless (the provider drops a copy by our id: partner Idempotency-Key, sandbox file).
 * - await-report: the provider's report will say (WhatsApp echoes our id in status webhooks); sent again
 *   only when none came within IN_DOUBT_RESEND_AFTER_SECONDS.
 * - lookup: ask the provider (findSent); sent again only when it shows nothing was sent.
 */
export type InDoubtSettlement = 'resend' | 'await-report' | 'lookup';

/** What a provider's own records say about a message we may have sent. */
export type SentLookup =
  | { found: true; providerMessageId: string; detail?: Record<string, unknown> }
  | { found: false }
  /** The provider could not be asked (error, too many candidates): nothing can be concluded yet. */
  | { found: 'unknown'; reason: string };

/** One provider behind one interface (sandbox, whatsapp-cloud, twilio, smtp, partner webhooks). */
export interface ChannelAdapter {
  /** Name recorded in each attempt, e.g. 'sandbox' or 'whatsapp-cloud'. */
  readonly name: string;
  /** Sends per second this adapter may use across all replicas; undefined = unlimited. */
  readonly ratePerSecond?: number;
  /**
   * Whose limit `ratePerSecond` is, when the provider counts per sender (Messenger: the Page id): part of the
   * shared rate bucket's key, so another sender configured later has a bucket of its own.
   */
  readonly sender?: string;
  /** Least time between two messages to the same recipient (WhatsApp's pair limit); undefined = none. */
  readonly pairIntervalMs?: number;
  /** Undefined: await-report (the careful choice when nothing else is known). */
  readonly inDoubt?: InDoubtSettlement;
  /**
   * Before a claimed batch is sent, its recipients: an adapter that asks PostgreSQL something about each recipient
   * (the conversation window) asks once for the batch. Only a shortcut: should it fail, each send asks on its own.
   */
  beforeBatch?(recipients: readonly string[]): Promise<void>;
  send(message: OutboundMessage): Promise<SendResult>;
  /** For `lookup`: whether this message reached the provider from `since` on. */
  findSent?(message: OutboundMessage, since: Date): Promise<SentLookup>;
}
