import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConsentService } from '../../bookings/consent.service';
import { maskContact } from '../../common/mask';
import { InjectConfig, WECHAT_CONFIG, WeChatConfig } from '../../config/config-slices';
import type { ProviderStatusUpdate } from '../../notifications/provider-status';
import { ProviderStatusService } from '../../notifications/provider-status.service';
import { OptOutService } from '../../opt-out/opt-out.service';
import { WebhookInbox } from '../webhook-inbox.service';
import type { WeChatPush } from './wechat-push';
import { isWeChatSigned } from './wechat-signature';

export type PushOutcome =
  | 'delivered'
  | 'failed'
  | 'recorded-only'
  | 'unknown-message'
  | 'consent-withdrawn'
  | 'opt-out'
  | 'duplicate'
  | 'ignored';

/** A report about a msgid we have not stored is this recent: refused, so WeChat's retry finds the send's write-back. */
export const UNKNOWN_RETRY_WINDOW_MS = 2 * 60_000;

/** Thrown so the request's transaction rolls back (its receipt too) and WeChat is asked to push again. */
export class NotYetKnown extends Error {}

/** TEMPLATESENDJOBFINISH statuses (the template message documentation's event push section). */
const USER_BLOCK = /^failed\s*:\s*user block$/i;
const SYSTEM_FAILED = /^failed\s*:\s*system failed$/i;

/**
 * WeChat's event pushes to the Official Account's server URL: the signature, the result of each template
 * send (TEMPLATESENDJOBFINISH: delivered, refused by the user — whose WeChat consent goes —, or failed in
 * WeChat), an unfollow withdrawing WeChat consent, and a passenger's text message, which may be an opt-out
 * keyword. One push is one transaction, applied once (WebhookInbox), keyed by what it reports, so WeChat's
 * retries and replays change nothing twice.
 */
@Injectable()
export class WeChatWebhookService {
  private readonly logger = new Logger(WeChatWebhookService.name);

  constructor(
    @InjectConfig(WECHAT_CONFIG) private readonly config: Pick<WeChatConfig, 'WECHAT_TOKEN'>,
    private readonly statuses: ProviderStatusService,
    private readonly consents: ConsentService,
    private readonly optOut: OptOutService,
    private readonly inbox: WebhookInbox,
  ) {}

  isSigned(query: { signature?: unknown; timestamp?: unknown; nonce?: unknown }): boolean {
    return isWeChatSigned(this.config.WECHAT_TOKEN, query);
  }

  async process(push: WeChatPush, now = new Date()): Promise<PushOutcome> {
    const at = instant(push.createTime, now);
    if (push.msgType === 'event' && push.event === 'TEMPLATESENDJOBFINISH' && push.msgId && push.status) {
      const { msgId, status } = push;
      const once = await this.inbox.applyOnce('wechat', `jobfinish ${msgId} ${status}`, (m) => this.applyJobFinish(m, push, msgId, status, at, now));
      return once.applied ? once.result : 'duplicate';
    }
    if (push.msgType === 'event' && push.event === 'unsubscribe') {
      const once = await this.inbox.applyOnce('wechat', `unsubscribe ${push.fromUserName} ${push.createTime}`, (m) =>
        this.withdraw(m, push.fromUserName, 'passenger unfollowed the Official Account on WeChat'),
      );
      return once.applied ? 'consent-withdrawn' : 'duplicate';
    }
    if (push.msgType === 'text' && push.msgId) {
      const once = await this.inbox.applyOnce('wechat', `message ${push.msgId}`, (m) => this.optOut.fromInboundText('wechat', push.fromUserName, push.content, m));
      if (!once.applied) return 'duplicate';
      return once.result ? 'opt-out' : 'ignored';
    }
    this.logger.log(`acknowledged WeChat push ${push.msgType}${push.event ? `/${push.event}` : ''} without acting on it`);
    return 'ignored';
  }

  private async applyJobFinish(m: EntityManager, push: WeChatPush, msgId: string, status: string, at: Date, now: Date): Promise<PushOutcome> {
    const userBlock = USER_BLOCK.test(status);
    const update: ProviderStatusUpdate =
      status === 'success'
        ? { channel: 'wechat', providerMessageId: msgId, status: 'delivered', at }
        : {
            channel: 'wechat',
            providerMessageId: msgId,
            status: 'failed',
            at,
            errorCode: userBlock ? 'user-block' : SYSTEM_FAILED.test(status) ? 'system-failed' : 'failed',
            errorText: `WeChat TEMPLATESENDJOBFINISH: ${status}`,
          };
    // The consent goes first: a fallback the failure starts must not choose WeChat again.
    if (userBlock) await this.withdraw(m, push.fromUserName, 'passenger refuses the Official Account’s messages on WeChat (user block)');
    const result = await this.statuses.apply(update, m);
    if (result.outcome === 'unknown-message') {
      if (now.getTime() - at.getTime() < UNKNOWN_RETRY_WINDOW_MS) throw new NotYetKnown(`WeChat msgid ${msgId} is not known yet`);
      return 'unknown-message';
    }
    if (result.outcome === 'recorded-only') return 'recorded-only';
    return update.status === 'delivered' ? 'delivered' : 'failed';
  }

  private async withdraw(m: EntityManager, openId: string, reason: string): Promise<'consent-withdrawn'> {
    const { passengers, cancelled } = await this.consents.withdrawByContact('wechat', openId, reason, m);
    this.logger.log(`WeChat consent of ${maskContact(openId)} withdrawn: ${passengers} passengers, ${cancelled} pending cancelled`);
    return 'consent-withdrawn';
  }
}

/** WeChat's Unix-seconds CreateTime; never in the future (a clock ahead of ours changes nothing). */
function instant(createTime: string, now: Date): Date {
  const seconds = Number(createTime);
  if (!/^\d+$/.test(createTime) || !Number.isFinite(seconds)) return now;
  return new Date(Math.min(seconds * 1000, now.getTime()));
}
