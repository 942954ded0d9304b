import { Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { maskPhone } from '../../common/mask';
import { WHATSAPP_CONFIG, WhatsAppConfig, InjectConfig } from '../../config/config-slices';
import { OptOutService } from '../../opt-out/opt-out.service';
import { CustomerServiceWindowRepository } from '../customer-service-window.repository';
import { StatusReportInbox } from '../status-report-inbox.service';
import { WebhookBatch, WebhookInbox } from '../webhook-inbox.service';
import { contentKey } from '../webhook-keys';
import { WhatsAppAccountUpdates } from './whatsapp-account-updates.service';
import { WhatsAppTemplatePauses } from './whatsapp-template-pauses.service';
import { maskProviderText } from './whatsapp-errors';
import { isValidWebhookSignature, subscriptionChallenge } from './whatsapp-signature';
import {
  InboundMessage,
  messagesValue,
  qualityUpdateValue,
  templateStatusValue,
  WebhookChange,
  WebhookError,
  WebhookPayload,
  WebhookStatus,
  WebhookValue,
} from './whatsapp-webhook-payload';

/** Webhook `from` / `recipient_id` are the number with country code and no '+': make them E.164. */
export function toE164(waId: string): string | undefined {
  const digits = waId.trim().replace(/^\+/, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : undefined;
}

export interface WebhookSummary {
  statuses: { applied: number; recordedOnly: number; unknown: number };
  inbound: number;
  optOuts: number;
  /** Template status updates and quality updates applied. */
  account: number;
  /** Reports (statuses, messages, account updates) applied before: acknowledged, not applied again. */
  duplicates: number;
  /** Changes for another phone number or a field we do not handle: acknowledged, so Meta does not retry them. */
  skipped: number;
}

/**
 * Meta's webhooks: the subscription handshake, the signature, status reports that move notifications
 * forward, passengers' replies, which open the 24-hour window and may opt out, and account updates
 * (template status, number quality). Statuses are applied with other requests' in one transaction
 * (StatusReportInbox), the rest in a transaction of the request's own; each report is applied once, keyed by what it
 * says (a status: the message id and status; a reply: its message id; an account update: its canonical content),
 * so Meta's retries, duplicates and re-encoded copies change nothing twice. The answer waits for both.
 */
@Injectable()
export class WhatsAppWebhookService {
  private readonly logger = new Logger(WhatsAppWebhookService.name);

  constructor(
    @InjectConfig(WHATSAPP_CONFIG)
    private readonly config: Pick<WhatsAppConfig, 'WHATSAPP_APP_SECRET' | 'WHATSAPP_VERIFY_TOKEN' | 'WHATSAPP_PHONE_NUMBER_ID'>,
    private readonly reports: StatusReportInbox,
    private readonly optOut: OptOutService,
    private readonly windows: CustomerServiceWindowRepository,
    private readonly inbox: WebhookInbox,
    private readonly account: WhatsAppAccountUpdates,
    private readonly templatePauses: WhatsAppTemplatePauses,
  ) {}

  /** The challenge to echo when Meta's verification request carries our verify token; undefined otherwise. */
  verifySubscription(mode: unknown, token: unknown, challenge: unknown): string | undefined {
    return subscriptionChallenge(mode, token, challenge, this.config.WHATSAPP_VERIFY_TOKEN);
  }

  isSigned(rawBody: Buffer | undefined, signature: string | undefined): boolean {
    return isValidWebhookSignature(rawBody, signature, this.config.WHATSAPP_APP_SECRET);
  }

  async process(payload: WebhookPayload, now = new Date()): Promise<WebhookSummary> {
    const summary: WebhookSummary = { statuses: { applied: 0, recordedOnly: 0, unknown: 0 }, inbound: 0, optOuts: 0, account: 0, duplicates: 0, skipped: 0 };
    const changes = payload.entry.flatMap((entry) => entry.changes.map((change) => ({ entry, change })));
    const values = changes.flatMap(({ change }) => {
      const messages = messagesValue(change);
      return messages && this.isOurs(messages) ? [messages] : [];
    });
    // Statuses, most of what Meta posts, join other requests' in one transaction (StatusReportInbox); replies and
    // account updates, a transaction of this request's own, and only when it has any. Each report is applied once.
    const statuses = values.flatMap((value) => (value.statuses ?? []).map((status) => this.applyStatus(status, summary, now)));
    const others = changes.filter(({ change }) => !this.onlyStatuses(change));
    const rest =
      others.length > 0
        ? this.inbox.receive('whatsapp', async (batch) => {
            for (const { entry, change } of others) await this.processChange(batch, entry, change, summary, now);
          })
        : Promise.resolve();
    // The answer comes when everything in the request is done: a failure (Meta retries the request) waits for the rest.
    const failed = (await Promise.allSettled([...statuses, rest])).find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    // Committed: this replica's sends see a template pause or lift at once.
    if (summary.account > 0) this.templatePauses.changed();
    return summary;
  }

  /** A change of our number's statuses and nothing else: it needs no transaction of the request's own. */
  private onlyStatuses(change: WebhookChange): boolean {
    const messages = messagesValue(change);
    return messages !== undefined && this.isOurs(messages) && !messages.messages?.length && !messages.errors?.length;
  }

  private isOurs(messages: WebhookValue): boolean {
    return !this.config.WHATSAPP_PHONE_NUMBER_ID || messages.metadata.phone_number_id === this.config.WHATSAPP_PHONE_NUMBER_ID;
  }

  private async processChange(batch: WebhookBatch, entry: WebhookPayload['entry'][number], change: WebhookChange, summary: WebhookSummary, now: Date): Promise<void> {
    const messages = messagesValue(change);
    if (messages) {
      if (this.isOurs(messages)) {
        await this.processInbound(batch, messages, summary, now);
        return;
      }
    } else {
      const template = templateStatusValue(change);
      const quality = qualityUpdateValue(change);
      if (template || quality) {
        // No id names one account update; the same one re-sent is the same document (entry time included).
        const key = `${change.field} ${contentKey({ entry: entry.id, time: entry.time, value: change.value })}`;
        const once = await batch.applyOnce(key, async (m) => {
          if (template) await this.account.applyTemplateStatus(m, template);
          if (quality) this.account.recordQuality(quality);
        });
        if (once.applied) summary.account++;
        else summary.duplicates++;
        return;
      }
    }
    summary.skipped++;
    const phoneNumberId = messages?.metadata.phone_number_id;
    this.logger.log(`acknowledged webhook change ${change.field}${phoneNumberId ? ` for phone number id ${phoneNumberId}` : ''} without acting on it`);
  }

  /** Its statuses went to StatusReportInbox; the passengers' replies apply here. */
  private async processInbound(batch: WebhookBatch, value: WebhookValue, summary: WebhookSummary, now: Date): Promise<void> {
    for (const error of value.errors ?? []) {
      this.logger.warn(`WhatsApp reports ${describeError(error)}`);
    }
    for (const message of value.messages ?? []) {
      const once = await batch.applyOnce(`message ${message.id}`, (m) => this.applyInbound(m, message, now));
      if (!once.applied) {
        summary.duplicates++;
        continue;
      }
      if (once.result) summary.optOuts++;
      summary.inbound++;
    }
  }

  private async applyStatus(status: WebhookStatus, summary: WebhookSummary, now: Date): Promise<void> {
    const error = status.errors?.[0];
    const detail: Record<string, unknown> = {};
    if (status.pricing) detail.pricing = status.pricing;
    if (status.conversation?.origin?.type) detail.conversation = status.conversation.origin.type;
    if (status.errors && status.errors.length > 1) detail.errors = status.errors.map((e) => describeError(e));
    const once = await this.reports.apply('whatsapp', `status ${status.id} ${status.status}`, {
      channel: 'whatsapp',
      providerMessageId: status.id,
      ...(typeof status.biz_opaque_callback_data === 'string' && isUUID(status.biz_opaque_callback_data) ? { notificationId: status.biz_opaque_callback_data } : {}),
      status: status.status,
      at: instant(status.timestamp, now),
      ...(error?.code !== undefined ? { errorCode: String(error.code) } : {}),
      ...(error ? { errorText: describeError(error, false) } : {}),
      ...(Object.keys(detail).length > 0 ? { detail } : {}),
    });
    if (!once.applied) summary.duplicates++;
    else if (once.result.outcome === 'applied') summary.statuses.applied++;
    else if (once.result.outcome === 'recorded-only') summary.statuses.recordedOnly++;
    else summary.statuses.unknown++;
  }

  /** Opens the conversation window and, for an opt-out keyword, withdraws consent; true when it opted out. */
  private async applyInbound(m: EntityManager, message: InboundMessage, now: Date): Promise<boolean> {
    const phone = toE164(message.from);
    if (!phone) {
      this.logger.warn(`inbound WhatsApp message ${message.id} from an unusable number ${maskPhone(message.from)}`);
      return false;
    }
    await this.windows.open('whatsapp', phone, instant(message.timestamp, now), m);
    // A quick-reply button carries its label and its payload; either may be the keyword.
    const optOut = await this.optOut.fromInboundText('whatsapp', phone, [message.text?.body, message.button?.text, message.button?.payload], m);
    return optOut !== undefined;
  }
}

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
