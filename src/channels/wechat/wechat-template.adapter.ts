import { Injectable, Logger } from '@nestjs/common';
import { ConsentService } from '../../bookings/consent.service';
import { maskContact } from '../../common/mask';
import { InjectConfig, WECHAT_CONFIG, WeChatConfig } from '../../config/config-slices';
import type { ChannelAdapter, InDoubtSettlement, OutboundMessage, SendResult } from '../channel-adapter';
import { ChannelProvider } from '../channel-provider.decorator';
import { WeChatAccessTokens } from './wechat-access-token.service';
import { TemplateSendRequest, WeChatApiClient, WeChatFailure, WeChatResult } from './wechat-api.client';
import { classifyWeChatFailure, CONSENT_GONE, maskWeChatText, TOKEN_REFUSED } from './wechat-errors';

/**
 * WeChat through an Official Account's template messages (issue 17, docs/decisions/0027). The rendered
 * template form (template id and a value per keyword, from the message definitions and catalogs) goes to
 * POST /cgi-bin/message/template/send with the shared access token; WeChat's msgid is the provider message id
 * its TEMPLATESENDJOBFINISH push later names. A refused token is replaced once for every replica and the
 * message sent again at once; a passenger who no longer follows the account (43004) loses their WeChat
 * consent, as an unfollow push would withdraw it.
 */
@ChannelProvider({ channel: 'wechat', enabled: (config) => config.CHANNEL_WECHAT === 'wechat-official-account' })
@Injectable()
export class WeChatTemplateAdapter implements ChannelAdapter {
  readonly name = 'wechat-official-account';
  readonly ratePerSecond: number;
  /** WeChat's rules forbid frequent messages of one kind to a user; the dispatcher spaces sends by this. */
  readonly pairIntervalMs: number;
  /** The Official Account (AppID): its quota is the account's, so its id is part of the rate bucket's key. */
  readonly sender?: string;
  /**
   * The push names WeChat's msgid only, which a send in doubt never learnt, and no API looks a message up:
   * it is sent again after IN_DOUBT_RESEND_AFTER_SECONDS (await-report without a report to await).
   */
  readonly inDoubt: InDoubtSettlement = 'await-report';
  private readonly logger = new Logger(WeChatTemplateAdapter.name);
  private readonly client?: WeChatApiClient;

  constructor(
    @InjectConfig(WECHAT_CONFIG) config: WeChatConfig,
    private readonly tokens: WeChatAccessTokens,
    private readonly consents: ConsentService,
  ) {
    this.ratePerSecond = config.WECHAT_RATE_PER_SECOND;
    this.pairIntervalMs = config.WECHAT_RECIPIENT_INTERVAL_MS;
    this.sender = config.WECHAT_APP_ID;
    if (config.WECHAT_APP_ID && config.WECHAT_APP_SECRET) {
      this.client = new WeChatApiClient({
        baseUrl: config.WECHAT_BASE_URL,
        appId: config.WECHAT_APP_ID,
        appSecret: config.WECHAT_APP_SECRET,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
      });
    }
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const client = this.client;
    if (!client) return { outcome: 'paused', code: 'not-configured', message: 'WECHAT_APP_ID and WECHAT_APP_SECRET are not set' };
    const form = message.content.wechatTemplate;
    if (!form) return { outcome: 'permanent', code: 'template-error', message: `no WeChat template form was rendered for ${message.type}` };
    const body: TemplateSendRequest = {
      touser: message.recipient,
      template_id: form.templateId,
      data: Object.fromEntries(form.keywords.map(({ keyword, value }) => [keyword, { value }])),
    };

    const token = await this.tokens.current(client);
    if (!token.ok) return this.judgeToken(token.failure, message);
    let sent = await client.sendTemplate(token.token.accessToken, body, message.correlationId);
    if (isTokenRefusal(sent)) {
      // Expired or replaced sooner than we counted: replace it (once across replicas) and send again now.
      this.logger.warn(`WeChat refused access token version ${token.token.version} (${sent.failure.kind === 'api' ? sent.failure.errcode : ''}); refreshing`);
      const fresh = await this.tokens.refused(client, token.token.version);
      if (!fresh.ok) return this.judgeToken(fresh.failure, message);
      sent = await client.sendTemplate(fresh.token.accessToken, body, message.correlationId);
    }
    if (sent.ok) {
      this.logger.debug(`${message.type} to ${maskContact(message.recipient)} accepted as msgid ${sent.value}`);
      return { outcome: 'accepted', providerMessageId: sent.value, detail: { templateId: form.templateId, locale: form.locale } };
    }
    const classified = classifyWeChatFailure(sent.failure);
    const result = classified.outcome === 'retryable' && mayHaveArrived(sent.failure) ? { ...classified, mayHaveSent: true } : classified;
    if (sent.failure.kind === 'api' && CONSENT_GONE.has(sent.failure.errcode)) await this.withdrawConsent(message, sent.failure.errcode);
    this.logFailure(message, result);
    return result;
  }

  /** No usable token: the account's credentials (paused) or WeChat's trouble (retryable); nothing was sent. */
  private judgeToken(failure: WeChatFailure, message: OutboundMessage): SendResult {
    const result = classifyWeChatFailure(failure);
    this.logFailure(message, result);
    return result.outcome === 'permanent' ? { outcome: 'retryable', code: `token-${result.code}`, message: `no access token: ${result.message}` } : result;
  }

  private async withdrawConsent(message: OutboundMessage, errcode: number): Promise<void> {
    const reason = errcode === 43004 ? 'WeChat 43004: the passenger does not follow the Official Account' : `WeChat ${errcode}: the passenger refuses the account's messages`;
    try {
      await this.consents.withdrawByContact('wechat', message.recipient, reason);
    } catch (error) {
      // The failure is recorded either way; the next 43004 (or the unfollow push) withdraws it then.
      this.logger.error(`could not withdraw WeChat consent for ${maskContact(message.recipient)}: ${maskWeChatText((error as Error).message)}`);
    }
  }

  private logFailure(message: OutboundMessage, result: SendResult): void {
    const text = 'message' in result ? result.message : '';
    const line = `template message for notification ${message.notificationId} to ${maskContact(message.recipient)}: ${result.outcome} ${text}`;
    if (result.outcome === 'paused') this.logger.error(line);
    else this.logger.warn(line);
  }
}

function isTokenRefusal(sent: WeChatResult<string>): sent is { ok: false; failure: Extract<WeChatFailure, { kind: 'api' }> } {
  return !sent.ok && sent.failure.kind === 'api' && TOKEN_REFUSED.has(sent.failure.errcode);
}

/** A timeout or a connection lost mid-request may hide a sent message; a refused connection or unknown host cannot. */
function mayHaveArrived(failure: WeChatFailure): boolean {
  if (failure.kind === 'timeout') return true;
  return failure.kind === 'network' && !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(failure.message);
}
