import { Inject, Injectable, Logger } from '@nestjs/common';
import { maskPhone } from '../../common/mask';
import { WHATSAPP_CONFIG, WhatsAppConfig, InjectConfig } from '../../config/config-slices';
import type { Attachment, ChannelAdapter, InDoubtSettlement, OutboundMessage, SendResult } from '../channel-adapter';
import { CustomerServiceWindowRepository } from '../customer-service-window.repository';
import { ApiResult, SentMessage, WhatsAppCloudClient } from './whatsapp-cloud.client';
import { classifyWhatsAppFailure, maskProviderText, WhatsAppFailure } from './whatsapp-errors';
import { templateMessage, TemplateMessageRequest, TEXT_BODY_MAX, textMessage } from './whatsapp-messages';
import { TEMPLATE_PAUSED_CODE, TemplatePause } from './whatsapp-template-pause.repository';
import { WhatsAppTemplatePauses } from './whatsapp-template-pauses.service';
import type { WhatsAppTemplateContent } from '../../rendering/rendered-content';
import { ChannelProvider } from '../channel-provider.decorator';

/** The free-form text was refused because the 24-hour window had closed after all: send the template instead. */
const REENGAGEMENT_REQUIRED = '131047';

export type WhatsAppAdapterConfig = Pick<WhatsAppConfig,
  | 'WHATSAPP_BASE_URL'
  | 'WHATSAPP_API_VERSION'
  | 'WHATSAPP_PHONE_NUMBER_ID'
  | 'WHATSAPP_ACCESS_TOKEN'
  | 'WHATSAPP_RATE_PER_SECOND'
  | 'WHATSAPP_PAIR_INTERVAL_MS'
  | 'PROVIDER_TIMEOUT_MS'
>;

/** Whether the passenger wrote to us in the last 24 hours (CustomerServiceWindowRepository). */
export type ConversationWindows = Pick<CustomerServiceWindowRepository, 'isOpen' | 'askForBatch'>;
/** The templates Meta took out of use (WhatsAppTemplatePauses). */
export type TemplatePauses = Pick<WhatsAppTemplatePauses, 'pauseOf'>;
/**
 * A notification waiting for a paused template tries again this often; lifting the pause (Meta's APPROVED)
 * makes it due at once. Meta pauses a template for hours (3 h the first time, 6 h the second).
 */
export const TEMPLATE_PAUSE_RECHECK_MS = 5 * 60_000;

/**
 * WhatsApp through Meta's Cloud API. Inside the 24-hour customer-service window a passenger's reply opens,
 * the rendered text goes out as a free-form text message; otherwise, and whenever a PDF travels along (the
 * boarding pass), the template form rendered with it (same words, same facts) is sent, the PDF uploaded first and
 * attached as the template's document header. The wamid Meta answers with is the provider message id that
 * status webhooks later refer to.
 */
@ChannelProvider({ channel: 'whatsapp', enabled: (config) => config.CHANNEL_WHATSAPP === 'whatsapp-cloud' })
@Injectable()
export class WhatsAppCloudAdapter implements ChannelAdapter {
  readonly name = 'whatsapp-cloud';
  readonly ratePerSecond: number;
  /** Meta's pair rate limit (about one message per 6 s to the same user); the dispatcher spaces sends by it. */
  readonly pairIntervalMs: number;
  /** Every message carries its notification id in biz_opaque_callback_data, which Meta echoes in status webhooks. */
  readonly inDoubt: InDoubtSettlement = 'await-report';
  private readonly logger = new Logger(WhatsAppCloudAdapter.name);
  private readonly client?: WhatsAppCloudClient;

  constructor(
    @InjectConfig(WHATSAPP_CONFIG) config: WhatsAppAdapterConfig,
    @Inject(CustomerServiceWindowRepository) private readonly windows: ConversationWindows,
    @Inject(WhatsAppTemplatePauses) private readonly pauses: TemplatePauses,
  ) {
    this.ratePerSecond = config.WHATSAPP_RATE_PER_SECOND;
    this.pairIntervalMs = config.WHATSAPP_PAIR_INTERVAL_MS;
    if (config.WHATSAPP_PHONE_NUMBER_ID && config.WHATSAPP_ACCESS_TOKEN) {
      this.client = new WhatsAppCloudClient({
        baseUrl: config.WHATSAPP_BASE_URL,
        apiVersion: config.WHATSAPP_API_VERSION,
        phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
        accessToken: config.WHATSAPP_ACCESS_TOKEN,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
      });
    }
  }

  /** Whose conversation windows are open, for the whole batch in one statement. */
  async beforeBatch(recipients: readonly string[]): Promise<void> {
    await this.windows.askForBatch('whatsapp', recipients);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const client = this.client;
    if (!client) {
      return { outcome: 'paused', code: 'not-configured', message: 'WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN are not set' };
    }
    const to = message.recipient;
    const pdf = message.attachments.find((a) => a.contentType === 'application/pdf');
    const text = message.content.text;

    if (!pdf && text.length > 0 && text.length <= TEXT_BODY_MAX && (await this.windows.isOpen('whatsapp', to))) {
      const sent = await client.sendMessage(textMessage(to, text, message.notificationId), message.correlationId);
      const result = this.judge(sent, message, { kind: 'text' });
      if (result.outcome === 'accepted') {
        // The text went, not its template form: the notification shows what the passenger got.
        const { whatsappTemplate: _notSent, ...carried } = message.content;
        return { ...result, carried };
      }
      if (result.outcome !== 'permanent' || result.code !== REENGAGEMENT_REQUIRED) return result;
      this.logger.warn(`window for ${maskPhone(to)} had closed (131047); sending the template instead`);
    }
    return this.sendTemplate(client, message, pdf);
  }

  private async sendTemplate(client: WhatsAppCloudClient, message: OutboundMessage, pdf: Attachment | undefined): Promise<SendResult> {
    let request: TemplateMessageRequest;
    // Rendered with the text from the same definition and catalog: the template carries every fact the text does.
    const template = message.content.whatsappTemplate;
    if (!template) return { outcome: 'permanent', code: 'template-error', message: `no WhatsApp template form was rendered for ${message.type}` };
    try {
      const pause = await this.pauses.pauseOf(template.name, template.language);
      if (pause) return this.outOfUse(template, pause);
      const bodyParameters = template.parameters;
      let document: { id: string; filename: string } | undefined;
      if (template.header === 'document') {
        if (!pdf) {
          return { outcome: 'permanent', code: 'missing-attachment', message: `template ${template.name} needs a PDF document header, and the notification has none` };
        }
        const uploaded = await client.uploadMedia(pdf, message.correlationId);
        if (!uploaded.ok) {
          const result = classifyWhatsAppFailure(uploaded.failure, { pairIntervalMs: this.pairIntervalMs });
          this.logFailure(message, 'media upload', result);
          return result;
        }
        document = { id: uploaded.value, filename: pdf.name };
      }
      request = templateMessage(message.recipient, { name: template.name, language: template.language, bodyParameters, document }, message.notificationId);
    } catch (error) {
      // A document header without a PDF and the like: sending again will not fix it.
      return { outcome: 'permanent', code: 'template-error', message: maskProviderText((error as Error).message) };
    }
    const sent = await client.sendMessage(request, message.correlationId);
    return this.judge(sent, message, { kind: 'template', template: template.name, language: template.language });
  }

  /**
   * A template Meta paused waits, as a paused channel does: Meta lifts the pause itself. One it disabled,
   * rejected or is deleting will not come back by waiting: the notification fails with the event as its
   * code, and a critical one goes on to the passenger's next channel (FallbackService).
   */
  private outOfUse(template: WhatsAppTemplateContent, pause: TemplatePause): SendResult {
    const why = `template ${template.name} (${template.language}) is ${pause.event} by Meta since ${pause.pausedAt.toISOString()}${pause.reason ? ` (${pause.reason})` : ''}`;
    if (pause.event === 'PAUSED') return { outcome: 'deferred', code: TEMPLATE_PAUSED_CODE, reason: why, retryAfterMs: TEMPLATE_PAUSE_RECHECK_MS };
    return { outcome: 'permanent', code: `template-${pause.event.toLowerCase().replace(/_/g, '-')}`, message: why };
  }

  private judge(sent: ApiResult<SentMessage>, message: OutboundMessage, detail: Record<string, unknown>): SendResult {
    if (sent.ok) {
      this.logger.debug(`${message.type} ${String(detail.kind)} to ${maskPhone(message.recipient)} accepted as ${sent.value.wamid}`);
      return {
        outcome: 'accepted',
        providerMessageId: sent.value.wamid,
        detail: { ...detail, ...(sent.value.messageStatus ? { messageStatus: sent.value.messageStatus } : {}) },
      };
    }
    const classified = classifyWhatsAppFailure(sent.failure, { pairIntervalMs: this.pairIntervalMs });
    // The request went out and no answer came back: Meta may have taken it (settled by its status webhook).
    const result = classified.outcome === 'retryable' && requestMayHaveArrived(sent.failure) ? { ...classified, mayHaveSent: true } : classified;
    this.logFailure(message, `${String(detail.kind)} message`, result);
    return result;
  }

  private logFailure(message: OutboundMessage, what: string, result: SendResult): void {
    const text = 'message' in result ? result.message : 'reason' in result ? result.reason : '';
    const line = `${what} for notification ${message.notificationId} to ${maskPhone(message.recipient)}: ${result.outcome} ${text}`;
    if (result.outcome === 'paused') this.logger.error(line);
    else this.logger.warn(line);
  }
}

/** A timeout or a connection lost mid-request may hide an accepted message; a refused connection or unknown host cannot. */
function requestMayHaveArrived(failure: WhatsAppFailure): boolean {
  if (failure.kind === 'timeout') return true;
  return failure.kind === 'network' && !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(failure.message);
}
