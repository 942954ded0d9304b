import { Inject, Injectable } from '@nestjs/common';
import { ChannelRegistry } from '../channels/channel-registry';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { maskPersonalData } from '../common/mask';
import type { NotificationRecord } from '../notifications/notification-records';
import { TemplateRenderer } from '../rendering/template-renderer';
import { ATTACHMENT_SOURCE, AttachmentSource } from './attachment-source';
import type { AttemptResult } from './dispatch.repository';
import { retryDelayMs } from './retry-policy';

/** One attempt at one notification: render with its stored context, hand to the channel's adapter, judge the answer. */
@Injectable()
export class NotificationSender {
  constructor(
    private readonly renderer: TemplateRenderer,
    private readonly channels: ChannelRegistry,
    @Inject(ATTACHMENT_SOURCE) private readonly attachments: AttachmentSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async attempt(n: NotificationRecord): Promise<AttemptResult> {
    let content;
    try {
      content = this.renderer.render(n.type, n.channel, n.locale, n.context);
    } catch (error) {
      const message = maskPersonalData((error as Error).message);
      return { id: n.id, status: 'failed', errorCode: 'render-error', error: message, events: [{ kind: 'failed', detail: { code: 'render-error', message } }] };
    }
    const adapter = this.channels.adapterFor(n.channel);
    const started = Date.now();
    const rendered = { kind: 'rendered', detail: { locale: content.locale } };
    let result;
    try {
      const attachments = await this.attachments.attachmentsFor(n);
      result = await adapter.send({
        notificationId: n.id,
        type: n.type,
        channel: n.channel,
        recipient: n.recipient,
        locale: n.locale,
        content,
        attachments,
        correlationId: `${n.eventSource}#${n.eventId}`,
      });
    } catch (error) {
      // An adapter that throws has not told us the provider refused: treat it as worth another try.
      result = { outcome: 'retryable' as const, code: 'adapter-error', message: maskPersonalData((error as Error).message) };
    }
    const attempt = { kind: 'attempt', detail: { attempt: n.attempts, adapter: adapter.name, ms: Date.now() - started, ...result } };

    switch (result.outcome) {
      case 'delivered':
      case 'accepted': {
        const status = result.outcome === 'delivered' ? 'delivered' : 'sent';
        return { id: n.id, status, content, providerMessageId: result.providerMessageId, events: [rendered, attempt, { kind: status }] };
      }
      case 'retryable':
        if (n.attempts < this.config.DISPATCH_MAX_ATTEMPTS) {
          const retryInMs = Math.max(result.retryAfterMs ?? 0, retryDelayMs(n.attempts));
          return {
            id: n.id,
            status: 'pending',
            content,
            errorCode: result.code,
            error: result.message,
            retryInMs,
            events: [rendered, attempt, { kind: 'retry-scheduled', detail: { inMs: retryInMs } }],
          };
        }
        return this.failed(n.id, content, result.code, `gave up after ${n.attempts} attempts: ${result.message}`, [rendered, attempt]);
      case 'permanent':
        return this.failed(n.id, content, result.code, result.message, [rendered, attempt]);
    }
  }

  private failed(id: string, content: AttemptResult['content'], code: string, message: string, events: AttemptResult['events']): AttemptResult {
    return { id, status: 'failed', content, errorCode: code, error: message, events: [...events, { kind: 'failed', detail: { code, message } }] };
  }
}
