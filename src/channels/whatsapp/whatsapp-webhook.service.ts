import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConsentService } from '../../bookings/consent.service';
import { maskPhone } from '../../common/mask';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ProviderStatusService } from '../../delivery/provider-status.service';
import { CustomerServiceWindowRepository } from '../customer-service-window.repository';
import { maskProviderText } from './whatsapp-errors';
import { isValidWebhookSignature, secretsEqual } from './whatsapp-signature';
import type { InboundMessage, WebhookError, WebhookPayload, WebhookStatus, WebhookValue } from './whatsapp-webhook-payload';

/** Replies that withdraw WhatsApp consent (English, Dutch, German, French; trimmed, any case). */
export const OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPP',
  'UNSUBSCRIBE',
  'STOPPEN',
  'AFMELDEN',
  'UITSCHRIJVEN',
  'ARRET',
  'ARRÊT',
  'ABMELDEN',
]);

/** The keyword a reply is, if it is one: "  stop " → "STOP", "arrêt" → "ARRÊT". */
export function optOutKeyword(text: string | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  const normalised = text.normalize('NFC').trim().toUpperCase();
  return OPT_OUT_KEYWORDS.has(normalised) ? normalised : undefined;
}

/** Webhook `from` / `recipient_id` are the number with country code and no '+': make them E.164. */
export function toE164(waId: string): string | undefined {
  const digits = waId.trim().replace(/^\+/, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : undefined;
}

export interface WebhookSummary {
  statuses: { applied: number; recordedOnly: number; unknown: number };
  inbound: number;
  optOuts: number;
  /** Changes for another phone number or a field we do not handle. */
  skipped: number;
}

/**
 * Meta's webhooks for our phone number: the subscription handshake, the signature, status reports that
 * move notifications forward, and passengers' replies, which open the 24-hour window and may opt out.
 * Everything it does is idempotent, so Meta's retries and duplicates are harmless.
 */
@Injectable()
export class WhatsAppWebhookService {
  private readonly logger = new Logger(WhatsAppWebhookService.name);

  constructor(
    @Inject(APP_CONFIG)
    private readonly config: Pick<AppConfig, 'WHATSAPP_APP_SECRET' | 'WHATSAPP_VERIFY_TOKEN' | 'WHATSAPP_PHONE_NUMBER_ID'>,
    private readonly statuses: ProviderStatusService,
    private readonly consent: ConsentService,
    private readonly windows: CustomerServiceWindowRepository,
  ) {}

  /** The challenge to echo when Meta's verification request carries our verify token; undefined otherwise. */
  verifySubscription(mode: unknown, token: unknown, challenge: unknown): string | undefined {
    if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || challenge.length > 1024) return undefined;
    return secretsEqual(token, this.config.WHATSAPP_VERIFY_TOKEN) ? challenge : undefined;
  }

  isSigned(rawBody: Buffer | undefined, signature: string | undefined): boolean {
    return isValidWebhookSignature(rawBody, signature, this.config.WHATSAPP_APP_SECRET);
  }

  async process(payload: WebhookPayload, now = new Date()): Promise<WebhookSummary> {
    const summary: WebhookSummary = { statuses: { applied: 0, recordedOnly: 0, unknown: 0 }, inbound: 0, optOuts: 0, skipped: 0 };
    for (const entry of payload.entry) {
      for (const change of entry.changes) {
        const value = change.value;
        const ours = !this.config.WHATSAPP_PHONE_NUMBER_ID || value.metadata.phone_number_id === this.config.WHATSAPP_PHONE_NUMBER_ID;
        if (change.field !== 'messages' || !ours) {
          summary.skipped++;
          this.logger.warn(`ignored webhook change ${change.field} for phone number id ${value.metadata.phone_number_id}`);
          continue;
        }
        await this.processValue(value, summary, now);
      }
    }
    return summary;
  }

  private async processValue(value: WebhookValue, summary: WebhookSummary, now: Date): Promise<void> {
    for (const error of value.errors ?? []) {
      this.logger.warn(`WhatsApp reports ${describeError(error)}`);
    }
    for (const status of value.statuses ?? []) {
      const result = await this.applyStatus(status, now);
      if (result === 'applied') summary.statuses.applied++;
      else if (result === 'recorded-only') summary.statuses.recordedOnly++;
      else summary.statuses.unknown++;
    }
    for (const message of value.messages ?? []) {
      if (await this.applyInbound(message, now)) summary.optOuts++;
      summary.inbound++;
    }
  }

  private async applyStatus(status: WebhookStatus, now: Date): Promise<'applied' | 'recorded-only' | 'unknown-message'> {
    const error = status.errors?.[0];
    const detail: Record<string, unknown> = {};
    if (status.pricing) detail.pricing = status.pricing;
    if (status.conversation?.origin?.type) detail.conversation = status.conversation.origin.type;
    if (status.errors && status.errors.length > 1) detail.errors = status.errors.map((e) => describeError(e));
    const result = await this.statuses.apply({
      channel: 'whatsapp',
      providerMessageId: status.id,
      ...(isUuid(status.biz_opaque_callback_data) ? { notificationId: status.biz_opaque_callback_data } : {}),
      status: status.status,
      at: instant(status.timestamp, now),
      ...(error?.code !== undefined ? { errorCode: String(error.code) } : {}),
      ...(error ? { errorText: describeError(error, false) } : {}),
      ...(Object.keys(detail).length > 0 ? { detail } : {}),
    });
    return result.outcome;
  }

  /** Opens the conversation window and, for an opt-out keyword, withdraws consent; true when it opted out. */
  private async applyInbound(message: InboundMessage, now: Date): Promise<boolean> {
    const phone = toE164(message.from);
    if (!phone) {
      this.logger.warn(`inbound WhatsApp message ${message.id} from an unusable number ${maskPhone(message.from)}`);
      return false;
    }
    await this.windows.open('whatsapp', phone, instant(message.timestamp, now));
    const keyword = optOutKeyword(message.text?.body) ?? optOutKeyword(message.button?.text) ?? optOutKeyword(message.button?.payload);
    if (!keyword) return false;
    await this.consent.withdrawByContact('whatsapp', phone, `passenger replied ${keyword} on WhatsApp`);
    return true;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Meta's Unix-seconds timestamps; never in the future (a clock ahead of ours must not stretch a window). */
function instant(timestamp: string, now: Date): Date {
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isFinite(seconds)) return now;
  return new Date(Math.min(seconds * 1000, now.getTime()));
}

function describeError(error: WebhookError, withCode = true): string {
  const code = withCode && error.code !== undefined ? String(error.code) : undefined;
  const parts = [code, error.title ?? error.message, error.error_data?.details];
  return maskProviderText(parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' — '));
}
