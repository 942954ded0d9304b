import { Inject, Injectable, Logger } from '@nestjs/common';
import DataLoader from 'dataloader';
import { maskContact } from '../../common/mask';
import { InjectConfig, MESSENGER_CONFIG, MessengerConfig } from '../../config/config-slices';
import type { MessengerTemplateContent } from '../../rendering/rendered-content';
import { MESSENGER_TEXT_MAX } from '../../rendering/messenger-template-rules';
import type { ChannelAdapter, InDoubtSettlement, OutboundMessage, SendResult } from '../channel-adapter';
import { ChannelProvider } from '../channel-provider.decorator';
import { CustomerServiceWindowRepository } from '../customer-service-window.repository';
import { classifyMessengerFailure, isOutsideWindow, maskMessengerText, type MessengerFailure } from './messenger-errors';
import { fileMessage, textMessage, utilityMessage } from './messenger-messages';
import { ApiResult, MessengerPlatformClient } from './messenger-platform.client';
import { MessengerSentMessagesRepository, type SentMessage } from './messenger-sent-messages.repository';
import { MESSENGER_TEMPLATE_PAUSED_CODE, type MessengerTemplatePause } from './messenger-template-pause.repository';
import { MessengerTemplatePauses } from './messenger-template-pauses.service';

export type MessengerAdapterConfig = Pick<MessengerConfig,
  | 'MESSENGER_BASE_URL'
  | 'MESSENGER_API_VERSION'
  | 'MESSENGER_PAGE_ID'
  | 'MESSENGER_PAGE_ACCESS_TOKEN'
  | 'MESSENGER_RATE_PER_SECOND'
  | 'MESSENGER_PAIR_INTERVAL_MS'
  | 'PROVIDER_TIMEOUT_MS'
>;

/** Whether the passenger wrote to the Page in the last 24 hours (CustomerServiceWindowRepository). */
export type ConversationWindows = Pick<CustomerServiceWindowRepository, 'isOpen' | 'askForBatch'>;
/** The utility templates Meta took out of use. */
export type TemplatePauses = Pick<MessengerTemplatePauses, 'pauseOf'>;
/** Where the send time of each accepted message is kept, for delivery and read watermarks. */
export type SentMessages = Pick<MessengerSentMessagesRepository, 'record'>;

/** A notification waiting for a paused template tries again this often; Meta's APPROVED makes it due at once. */
export const MESSENGER_TEMPLATE_PAUSE_RECHECK_MS = 5 * 60_000;

/**
 * Messenger through Meta's Messenger Platform, from the airline's Facebook Page. Inside the 24-hour standard
 * messaging window a passenger's message opens, the rendered text goes out as a RESPONSE text message, and a
 * boarding pass follows it as a file uploaded with the Attachment Upload API. Outside the window — and when Meta
 * answers that it has closed after all (10/2018278) — the utility message template rendered with the text
 * (same words, same facts) is sent instead; a utility template carries no file, so the PDF then stays behind
 * (the timeline says so) and the message does not mention it (message-definitions.ts).
 *
 * Each accepted message's send time is kept by its message id: Meta reports delivery and reading by
 * watermark (every message sent before it), which the webhook compares with it.
 */
@ChannelProvider({ channel: 'messenger', enabled: (config) => config.CHANNEL_MESSENGER === 'messenger-platform' })
@Injectable()
export class MessengerPlatformAdapter implements ChannelAdapter {
  readonly name = 'messenger-platform';
  readonly ratePerSecond: number;
  readonly pairIntervalMs: number;
  /** The Page: its limits are the Page's, so its id is part of the rate bucket's key. */
  readonly sender?: string;
  /** Texts carry the notification id as metadata, which Meta returns in the message's echo (webhook). */
  readonly inDoubt: InDoubtSettlement = 'await-report';
  private readonly logger = new Logger(MessengerPlatformAdapter.name);
  private readonly client?: MessengerPlatformClient;
  /** Send times of one turn of the event loop go to PostgreSQL in one statement. */
  private readonly sendTimes: DataLoader<SentMessage, true>;

  constructor(
    @InjectConfig(MESSENGER_CONFIG) config: MessengerAdapterConfig,
    @Inject(CustomerServiceWindowRepository) private readonly windows: ConversationWindows,
    @Inject(MessengerTemplatePauses) private readonly pauses: TemplatePauses,
    @Inject(MessengerSentMessagesRepository) sent: SentMessages,
  ) {
    this.ratePerSecond = config.MESSENGER_RATE_PER_SECOND;
    this.pairIntervalMs = config.MESSENGER_PAIR_INTERVAL_MS;
    this.sender = config.MESSENGER_PAGE_ID;
    this.sendTimes = new DataLoader(async (rows) => (await sent.record(rows), rows.map(() => true as const)), { cache: false });
    if (config.MESSENGER_PAGE_ID && config.MESSENGER_PAGE_ACCESS_TOKEN) {
      this.client = new MessengerPlatformClient({
        baseUrl: config.MESSENGER_BASE_URL,
        apiVersion: config.MESSENGER_API_VERSION,
        pageId: config.MESSENGER_PAGE_ID,
        pageAccessToken: config.MESSENGER_PAGE_ACCESS_TOKEN,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
      });
    }
  }

  /** Whose conversation windows are open, for the whole batch in one statement. */
  async beforeBatch(recipients: readonly string[]): Promise<void> {
    await this.windows.askForBatch('messenger', recipients);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const client = this.client;
    if (!client) return { outcome: 'paused', code: 'not-configured', message: 'MESSENGER_PAGE_ID and MESSENGER_PAGE_ACCESS_TOKEN are not set' };
    const psid = message.recipient;
    const text = message.content.text;
    if (text.length > 0 && text.length <= MESSENGER_TEXT_MAX && (await this.windows.isOpen('messenger', psid))) {
      const result = await this.sendInWindow(client, message);
      if (result !== 'window-closed') return result;
      this.logger.warn(`window for ${maskContact(psid)} had closed (10/2018278); sending the utility template instead`);
    }
    return this.sendTemplate(client, message);
  }

  /** The text, then the boarding pass as a file; 'window-closed' when Meta says the window is no longer open. */
  private async sendInWindow(client: MessengerPlatformClient, message: OutboundMessage): Promise<SendResult | 'window-closed'> {
    const pdf = message.attachments.find((a) => a.contentType === 'application/pdf');
    let attachmentId: string | undefined;
    if (pdf) {
      // Uploaded first: a file Meta refuses is known before the passenger has anything.
      const uploaded = await client.uploadFile(pdf, message.correlationId);
      // No message left with an upload: a lost answer leaves at most an unused file at Meta, never a message in doubt.
      if (!uploaded.ok) return this.failed(message, 'attachment upload', uploaded.failure, false);
      attachmentId = uploaded.value;
    }
    const sentAt = new Date();
    const sent = await client.send(textMessage(message.recipient, message.content.text, message.notificationId), message.correlationId);
    if (!sent.ok && isOutsideWindow(sent.failure)) return 'window-closed';
    const result = await this.accepted(sent, message, sentAt, { kind: 'text' });
    if (result.outcome !== 'accepted' || !attachmentId || !pdf) return result;
    // The text is with the passenger now: a file that fails to follow is recorded, never a reason to send the text again.
    const file = await client.send(fileMessage(message.recipient, attachmentId), message.correlationId);
    if (file.ok) return { ...result, detail: { ...result.detail, attachment: { name: pdf.name, messageId: file.value } } };
    const fileResult = classifyMessengerFailure(file.failure);
    this.logger.warn(`boarding pass file for notification ${message.notificationId} to ${maskContact(message.recipient)} not sent: ${describeResult(fileResult)}`);
    return { ...result, detail: { ...result.detail, attachment: { name: pdf.name, notSent: describeResult(fileResult) } } };
  }

  private async sendTemplate(client: MessengerPlatformClient, message: OutboundMessage): Promise<SendResult> {
    // Rendered with the text from the same definition and catalog: the template carries every fact the text does.
    const template = message.content.messengerTemplate;
    if (!template) return { outcome: 'permanent', code: 'template-error', message: `no Messenger template form was rendered for ${message.type}` };
    const pause = await this.pauses.pauseOf(template.name, template.language);
    if (pause) return outOfUse(template, pause);
    const pdf = message.attachments.find((a) => a.contentType === 'application/pdf');
    const sentAt = new Date();
    const sent = await client.send(utilityMessage(message.recipient, template), message.correlationId);
    return this.accepted(sent, message, sentAt, {
      kind: 'template',
      template: template.name,
      language: template.language,
      ...(pdf ? { attachment: { name: pdf.name, notSent: 'outside the 24-hour window: a utility template carries no file' } } : {}),
    });
  }

  private async accepted(sent: ApiResult<string>, message: OutboundMessage, sentAt: Date, detail: Record<string, unknown>): Promise<SendResult> {
    if (!sent.ok) return this.failed(message, `${String(detail.kind)} message`, sent.failure);
    const messageId = sent.value;
    try {
      await this.sendTimes.load({ messageId, notificationId: message.notificationId, psid: message.recipient, sentAt });
    } catch (error) {
      // The message is out: failing the send now would send it twice. Its watermarks go unmatched; mids still match.
      this.logger.warn(`send time of Messenger message for notification ${message.notificationId} not kept: ${(error as Error).message}`);
    }
    this.logger.debug(`${message.type} ${String(detail.kind)} to ${maskContact(message.recipient)} accepted`);
    return { outcome: 'accepted', providerMessageId: messageId, detail };
  }

  private failed(message: OutboundMessage, what: string, failure: MessengerFailure, carriesMessage = true): SendResult {
    const classified = classifyMessengerFailure(failure);
    // The request went out and no answer came back: Meta may have the message (settled by its echo, or resent later).
    const result = carriesMessage && classified.outcome === 'retryable' && requestMayHaveArrived(failure) ? { ...classified, mayHaveSent: true } : classified;
    const line = `${what} for notification ${message.notificationId} to ${maskContact(message.recipient)}: ${result.outcome} ${describeResult(result)}`;
    if (result.outcome === 'paused') this.logger.error(line);
    else this.logger.warn(line);
    return result;
  }
}

/**
 * A template Meta paused waits, as a paused channel does: Meta lifts the pause itself. One it disabled,
 * rejected or is deleting will not come back by waiting: the notification fails with the event as its code,
 * and a critical one goes on to the passenger's next channel (FallbackService).
 */
function outOfUse(template: MessengerTemplateContent, pause: MessengerTemplatePause): SendResult {
  const why = `Messenger template ${template.name} (${template.language}) is ${pause.event} by Meta since ${pause.pausedAt.toISOString()}${pause.reason ? ` (${maskMessengerText(pause.reason)})` : ''}`;
  if (pause.event === 'PAUSED') return { outcome: 'deferred', code: MESSENGER_TEMPLATE_PAUSED_CODE, reason: why, retryAfterMs: MESSENGER_TEMPLATE_PAUSE_RECHECK_MS };
  return { outcome: 'permanent', code: `template-${pause.event.toLowerCase().replace(/_/g, '-')}`, message: why };
}

function describeResult(result: SendResult): string {
  if ('message' in result) return `${result.code}: ${result.message}`;
  if ('reason' in result) return result.reason;
  return result.outcome;
}

/** A timeout or a connection lost mid-request may hide an accepted message; a refused connection or unknown host cannot. */
function requestMayHaveArrived(failure: MessengerFailure): boolean {
  if (failure.kind === 'timeout') return true;
  return failure.kind === 'network' && !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(failure.message);
}
