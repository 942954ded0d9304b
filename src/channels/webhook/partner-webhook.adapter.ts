import { Injectable, Logger } from '@nestjs/common';
import { PARTNER_WEBHOOKS_CONFIG, PartnerWebhooksConfig, InjectConfig } from '../../config/config-slices';
import type { NotificationType } from '../../vocabulary/notification-types';
import type { RenderContext } from '../../vocabulary/render-context';
import { recordHttpExchange } from '../../tracing/spans';
import type { ChannelAdapter, InDoubtSettlement, OutboundMessage, SendResult } from '../channel-adapter';
import { PARTNER_SIGNATURE_HEADER, PARTNER_TIMESTAMP_HEADER, partnerSignatureHeader } from './partner-signature';
import { classifyPartnerFailure, FailedWebhook } from './partner-webhook-errors';
import { ChannelProvider } from '../channel-provider.decorator';

/** The JSON a partner receives. */
export interface PartnerWebhookBody {
  /** The notification id; the same on every retry (also in Idempotency-Key). */
  id: string;
  type: NotificationType;
  bookingReference: string;
  locale: string;
  /** When this notification was sent to the partner (ISO 8601). */
  occurredAt: string;
  data: RenderContext;
}

type Partner = PartnerWebhooksConfig['PARTNER_WEBHOOKS'][number];

/**
 * Signed JSON webhooks to partners (CRM, travel agents). The recipient is the partner's name in PARTNER_WEBHOOKS.
 * Headers: X-Notifier-Timestamp (unix seconds), X-Notifier-Signature `v1=hex(HMAC-SHA256(secret, ts + "." + body))`,
 * Idempotency-Key (notification id) so a partner can drop a retried duplicate. 2xx → delivered.
 */
@ChannelProvider({ channel: 'webhook', enabled: (config) => config.PARTNER_WEBHOOKS.length > 0 })
@Injectable()
export class PartnerWebhookAdapter implements ChannelAdapter {
  readonly name = 'partner-webhook';
  /** Partners drop a copy by its Idempotency-Key: sending an in-doubt notification again is safe. */
  readonly inDoubt: InDoubtSettlement = 'resend';
  /** Partners are few and each answers for itself: no shared send rate. */
  readonly ratePerSecond: number | undefined = undefined;
  private readonly logger = new Logger(PartnerWebhookAdapter.name);
  private readonly partners: ReadonlyMap<string, Partner>;

  constructor(@InjectConfig(PARTNER_WEBHOOKS_CONFIG) private readonly config: PartnerWebhooksConfig) {
    this.partners = new Map(config.PARTNER_WEBHOOKS.map((p) => [p.name, p]));
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const partner = this.partners.get(message.recipient);
    if (!partner) {
      return { outcome: 'permanent', code: 'unknown-partner', message: `no partner named ${message.recipient} in PARTNER_WEBHOOKS` };
    }
    if (partner.types && !partner.types.includes(message.type)) {
      return { outcome: 'permanent', code: 'type-not-subscribed', message: `partner ${partner.name} does not take ${message.type}` };
    }
    const now = new Date();
    const body: PartnerWebhookBody = {
      id: message.notificationId,
      type: message.type,
      bookingReference: message.context.booking.reference,
      locale: message.locale,
      occurredAt: now.toISOString(),
      data: message.context,
    };
    const rawBody = JSON.stringify(body);
    const timestamp = String(Math.floor(now.getTime() / 1000));

    let response: Response;
    let answer: string;
    try {
      response = await fetch(partner.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'flight-notifier',
          [PARTNER_TIMESTAMP_HEADER]: timestamp,
          [PARTNER_SIGNATURE_HEADER]: partnerSignatureHeader(partner.secret, timestamp, rawBody),
          'Idempotency-Key': message.notificationId,
        },
        body: rawBody,
        signal: AbortSignal.timeout(this.config.PROVIDER_TIMEOUT_MS),
      });
      answer = await response.text();
    } catch (error) {
      recordHttpExchange('POST', partner.url);
      return this.failed(message, classifyPartnerFailure(partner.name, { kind: 'network', error }));
    }
    recordHttpExchange('POST', partner.url, response.status);
    if (response.status >= 200 && response.status < 300) {
      this.logger.debug(`webhook ${message.notificationId} delivered to partner ${partner.name} (HTTP ${response.status})`);
      return { outcome: 'delivered', providerMessageId: message.notificationId, detail: { partner: partner.name, httpStatus: response.status } };
    }
    return this.failed(
      message,
      classifyPartnerFailure(partner.name, { kind: 'http', status: response.status, retryAfter: response.headers.get('retry-after'), body: answer }),
    );
  }

  private failed(message: OutboundMessage, result: FailedWebhook): SendResult {
    this.logger.warn(`webhook ${message.notificationId} to partner ${message.recipient} ${result.outcome}: ${result.code} ${result.message}`);
    return result;
  }
}
