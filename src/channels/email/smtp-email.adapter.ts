import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { maskEmail, maskPersonalData } from '../../common/mask';
import { SMTP_CONFIG, SmtpConfig, InjectConfig } from '../../config/config-slices';
import type { ChannelAdapter, InDoubtSettlement, OutboundMessage, SendResult } from '../channel-adapter';
import { classifySmtpFailure, SmtpFailure } from './smtp-errors';
import { ChannelProvider } from '../channel-provider.decorator';

/** The Message-ID a notification is always sent with: a retry carries the same one, so it can be recognised. */
export function emailMessageId(notificationId: string): string {
  return `<${notificationId}@flight-notifier>`;
}

/**
 * E-mail over SMTP with nodemailer: one pooled transport from SMTP_URL for the life of the process.
 *
 * Outcome 'delivered' means the SMTP server accepted the message for the recipient (250 after DATA). SMTP gives
 * no later delivery report here: a bounce after that point arrives as a mail to the envelope sender, which this
 * service does not read, so "delivered" is the strongest statement we can make. The Message-ID is the
 * provider message id.
 */
@ChannelProvider({ channel: 'email', enabled: (config) => config.CHANNEL_EMAIL === 'smtp' })
@Injectable()
export class SmtpEmailAdapter implements ChannelAdapter, OnApplicationShutdown {
  readonly name = 'smtp';
  /** SMTP cannot be asked what it took, and a copy is a second e-mail: wait IN_DOUBT_RESEND_AFTER_SECONDS, then send again. */
  readonly inDoubt: InDoubtSettlement = 'await-report';
  readonly ratePerSecond: number;
  private readonly logger = new Logger(SmtpEmailAdapter.name);
  private readonly transport: ReturnType<typeof createPool>;

  constructor(@InjectConfig(SMTP_CONFIG) private readonly config: SmtpConfig) {
    this.ratePerSecond = config.EMAIL_RATE_PER_SECOND;
    // Creating the transport opens no connection; the pool connects on the first send.
    this.transport = createPool(config);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const { content } = message;
    const messageId = emailMessageId(message.notificationId);
    if (!content.subject) return { outcome: 'permanent', code: 'no-subject', message: 'the rendered e-mail has no subject' };
    try {
      const info = await this.transport.sendMail({
        from: this.config.EMAIL_FROM,
        to: message.recipient,
        subject: content.subject,
        text: content.text,
        ...(content.html ? { html: content.html } : {}),
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
        attachments: message.attachments.map((a) => ({ filename: a.name, content: a.content, contentType: a.contentType })),
      });
      const rejected = info.rejected.length > 0 && !info.accepted.some((a) => sameAddress(a, message.recipient));
      if (rejected) {
        const reason = info.rejectedErrors?.[0];
        return this.failed(message, classifySmtpFailure(reason ?? { code: 'EENVELOPE', message: 'recipient rejected' }));
      }
      this.logger.debug(`email ${message.notificationId} to ${maskEmail(message.recipient)} accepted: ${maskPersonalData(info.response)}`);
      return { outcome: 'delivered', providerMessageId: messageId, detail: { smtpResponse: maskPersonalData(info.response) } };
    } catch (error) {
      return this.failed(message, classifySmtpFailure(error as SmtpFailure));
    }
  }

  /** Closes the pool's connections (also on application shutdown). */
  close(): void {
    this.transport.close();
  }

  onApplicationShutdown(): void {
    this.close();
  }

  private failed(message: OutboundMessage, result: ReturnType<typeof classifySmtpFailure>): SendResult {
    this.logger.warn(`email ${message.notificationId} to ${maskEmail(message.recipient)} ${result.outcome}: ${result.code} ${result.message}`);
    return result;
  }
}

function createPool(config: SmtpConfig) {
  return createTransport({
    pool: true,
    url: config.SMTP_URL,
    maxConnections: 5,
    connectionTimeout: config.PROVIDER_TIMEOUT_MS,
    greetingTimeout: config.PROVIDER_TIMEOUT_MS,
    socketTimeout: config.PROVIDER_TIMEOUT_MS,
    logger: false,
  });
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
