import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { maskContact } from '../../common/mask';
import { InjectConfig, MESSENGER_CONFIG, MessengerConfig } from '../../config/config-slices';
import { ProviderStatusService } from '../../notifications/provider-status.service';
import { OptOutService } from '../../opt-out/opt-out.service';
import { CustomerServiceWindowRepository } from '../customer-service-window.repository';
import { WebhookBatch, WebhookInbox } from '../webhook-inbox.service';
import { contentKey } from '../webhook-keys';
// Meta signs Messenger webhooks exactly as WhatsApp's: X-Hub-Signature-256, HMAC-SHA256 of the body with the app secret.
import { isValidWebhookSignature, subscriptionChallenge } from '../whatsapp/whatsapp-signature';
import { MessengerSentMessagesRepository } from './messenger-sent-messages.repository';
import { MessengerTemplatePauses } from './messenger-template-pauses.service';
import { MessagingEvent, MessengerWebhookPayload, TEMPLATE_STATUS_FIELD, TemplateStatusValue } from './messenger-webhook-payload';

/** The postback payload that unsubscribes (a persistent-menu item or button the Page offers); also an opt-out keyword. */
export const UNSUBSCRIBE_PAYLOAD = 'UNSUBSCRIBE';

export interface MessengerWebhookSummary {
  /** Notifications a delivery report moved to delivered, and a read report to read. */
  delivered: number;
  read: number;
  inbound: number;
  optOuts: number;
  /** Echoes of our own messages that carried a notification id. */
  echoes: number;
  /** Template status updates applied. */
  templates: number;
  /** Reports applied before: acknowledged, not applied again. */
  duplicates: number;
  /** Events for another Page, other objects or of a kind we do not act on: acknowledged, so Meta does not retry them. */
  skipped: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Statuses a report may move a notification from: a report moves each message once, and only forward. */
const MOVABLE: Readonly<Record<'delivered' | 'read', readonly string[]>> = {
  delivered: ['sending', 'in_doubt', 'sent'],
  read: ['sending', 'in_doubt', 'sent', 'delivered'],
};

/**
 * Meta's webhooks for the Page: the subscription handshake, the signature, delivery and read reports applied by
 * their watermark (every message the Page sent to that person before it; `mids`, when present, by id), the
 * passenger's messages and postbacks, which open the 24-hour window and may opt out, echoes of our own texts
 * (their metadata settles a send in doubt), and template status updates. One request is one transaction; each
 * report is applied once, keyed by what it says (a message or postback: its mid; a delivery: the person,
 * watermark and mids; a read: the person and watermark; a template update: its canonical content).
 */
@Injectable()
export class MessengerWebhookService {
  private readonly logger = new Logger(MessengerWebhookService.name);

  constructor(
    @InjectConfig(MESSENGER_CONFIG)
    private readonly config: Pick<MessengerConfig, 'MESSENGER_APP_SECRET' | 'MESSENGER_VERIFY_TOKEN' | 'MESSENGER_PAGE_ID'>,
    private readonly statuses: ProviderStatusService,
    private readonly optOut: OptOutService,
    private readonly windows: CustomerServiceWindowRepository,
    private readonly inbox: WebhookInbox,
    private readonly sent: MessengerSentMessagesRepository,
    private readonly templates: MessengerTemplatePauses,
  ) {}

  /** The challenge to echo when Meta's verification request carries our verify token; undefined otherwise. */
  verifySubscription(mode: unknown, token: unknown, challenge: unknown): string | undefined {
    return subscriptionChallenge(mode, token, challenge, this.config.MESSENGER_VERIFY_TOKEN);
  }

  isSigned(rawBody: Buffer | undefined, signature: string | undefined): boolean {
    return isValidWebhookSignature(rawBody, signature, this.config.MESSENGER_APP_SECRET);
  }

  async process(payload: MessengerWebhookPayload, now = new Date()): Promise<MessengerWebhookSummary> {
    const summary: MessengerWebhookSummary = { delivered: 0, read: 0, inbound: 0, optOuts: 0, echoes: 0, templates: 0, duplicates: 0, skipped: 0 };
    await this.inbox.receive('messenger', async (batch) => {
      for (const entry of payload.entry) {
        const ours = payload.object === 'page' && (!this.config.MESSENGER_PAGE_ID || entry.id === this.config.MESSENGER_PAGE_ID);
        if (!ours) {
          summary.skipped += (entry.messaging?.length ?? 0) + (entry.changes?.length ?? 0);
          this.logger.log(`acknowledged a webhook entry of ${payload.object} ${entry.id} without acting on it`);
          continue;
        }
        for (const event of entry.messaging ?? []) await this.processEvent(batch, event, summary, now);
        for (const change of entry.changes ?? []) {
          if (change.field !== TEMPLATE_STATUS_FIELD) {
            summary.skipped++;
            continue;
          }
          // No id names one update; the same one re-sent is the same document (entry time included).
          const key = `${change.field} ${contentKey({ entry: entry.id, time: entry.time, value: change.value })}`;
          const once = await batch.applyOnce(key, (m) => this.templates.apply(m, change.value as unknown as TemplateStatusValue));
          if (once.applied) summary.templates++;
          else summary.duplicates++;
        }
      }
    });
    // Committed: this replica's sends see a template pause or lift at once.
    if (summary.templates > 0) this.templates.changed();
    return summary;
  }

  private async processEvent(batch: WebhookBatch, event: MessagingEvent, summary: MessengerWebhookSummary, now: Date): Promise<void> {
    const at = instant(event.timestamp, now);
    const count = (once: { applied: boolean }, into: () => void): void => {
      if (once.applied) into();
      else summary.duplicates++;
    };
    if (event.message?.is_echo) {
      const { mid, metadata } = event.message;
      if (!UUID.test(metadata ?? '')) {
        summary.skipped++;
        return;
      }
      // Our own text, echoed with the notification id it carried: settles a send whose answer we never stored.
      const once = await batch.applyOnce(`echo ${mid}`, (m) =>
        this.statuses.apply({ channel: 'messenger', providerMessageId: mid, notificationId: metadata, status: 'sent', at }, m),
      );
      count(once, () => summary.echoes++);
      return;
    }
    const psid = event.sender.id;
    if (event.message) {
      const { mid, text, quick_reply } = event.message;
      const once = await batch.applyOnce(`message ${mid}`, (m) => this.applyInbound(m, psid, [text, quick_reply?.payload], at));
      count(once, () => {
        summary.inbound++;
        if (once.applied && once.result) summary.optOuts++;
      });
      return;
    }
    if (event.postback) {
      const { postback } = event;
      const key = postback.mid ? `postback ${postback.mid}` : `postback ${contentKey({ psid, timestamp: event.timestamp, postback })}`;
      const once = await batch.applyOnce(key, (m) => this.applyPostback(m, psid, postback, at));
      count(once, () => {
        summary.inbound++;
        if (once.applied && once.result) summary.optOuts++;
      });
      return;
    }
    if (event.delivery) {
      const { watermark } = event.delivery;
      const mids = [...(event.delivery.mids ?? [])].sort();
      const once = await batch.applyOnce(`delivery ${psid} ${watermark} ${mids.join(',')}`, (m) => this.applyWatermark(m, psid, 'delivered', watermark, mids, now));
      count(once, () => (summary.delivered += once.applied ? once.result : 0));
      return;
    }
    if (event.read) {
      const { watermark } = event.read;
      const once = await batch.applyOnce(`read ${psid} ${watermark}`, (m) => this.applyWatermark(m, psid, 'read', watermark, [], now));
      count(once, () => (summary.read += once.applied ? once.result : 0));
      return;
    }
    summary.skipped++;
  }

  /**
   * Every message to `psid` sent at or before the watermark (our send time is taken before the request, so
   * never after the time Meta gives the message), or named in `mids`, moves to `status` — once: those already
   * there or beyond are not touched again. Returns how many notifications moved.
   */
  private async applyWatermark(m: EntityManager, psid: string, status: 'delivered' | 'read', watermark: number, mids: readonly string[], now: Date): Promise<number> {
    const covered = await this.sent.covered(m, psid, new Date(watermark), mids, MOVABLE[status]);
    const updates = covered.map((message) => ({
      channel: 'messenger' as const,
      providerMessageId: message.messageId,
      notificationId: message.notificationId,
      status,
      at: instant(watermark, now),
      detail: { watermark: new Date(watermark).toISOString(), matchedBy: message.byMid ? 'mid' : 'watermark' },
    }));
    // One watermark may cover many messages: their statuses in one statement each, not three per message.
    const results = await this.statuses.applyAll(m, updates);
    updates.forEach((update, i) => this.statuses.observe(update, results[i]));
    return results.filter((result) => result.outcome === 'applied').length;
  }

  /** Opens the conversation window and, for an opt-out keyword, withdraws consent; true when it opted out. */
  private async applyInbound(m: EntityManager, psid: string, texts: (string | undefined)[], at: Date): Promise<boolean> {
    await this.windows.open('messenger', psid, at, m);
    const optOut = await this.optOut.fromInboundText('messenger', psid, texts, m);
    if (optOut) this.logger.log(`Messenger opt-out ${optOut.keyword} from ${maskContact(psid)}`);
    return optOut !== undefined;
  }

  /** A postback is the person acting in the conversation: it opens the window too; UNSUBSCRIBE (or an opt-out word) withdraws consent. */
  private async applyPostback(m: EntityManager, psid: string, postback: NonNullable<MessagingEvent['postback']>, at: Date): Promise<boolean> {
    await this.windows.open('messenger', psid, at, m);
    if (postback.payload === UNSUBSCRIBE_PAYLOAD) {
      await this.optOut.withdraw('messenger', psid, UNSUBSCRIBE_PAYLOAD, m);
      return true;
    }
    return (await this.optOut.fromInboundText('messenger', psid, [postback.payload, postback.title], m)) !== undefined;
  }
}

/** Meta's millisecond timestamps; never in the future (a clock ahead of ours must not stretch a window). */
function instant(ms: number | undefined, now: Date): Date {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return now;
  return new Date(Math.min(ms, now.getTime()));
}
