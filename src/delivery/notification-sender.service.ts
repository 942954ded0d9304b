import { Inject, Injectable } from '@nestjs/common';
import type { SendResult } from '../channels/channel-adapter';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { maskPersonalData } from '../common/mask';
import { DISPATCH_CONFIG, DispatchConfig, InjectConfig } from '../config/config-slices';
import type { NotificationRecord } from '../notifications/notification-records';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import type { RenderedContent } from '../rendering/rendered-content';
import { TemplateRenderer } from '../rendering/template-renderer.service';
import { traceDeliver, traceProviderCall, traceRender } from '../tracing/spans';
import { ATTACHMENT_SOURCE, AttachmentSource } from './attachment-source';
import type { AttemptResult, TimelineInput } from '../notifications/notification-dispatch.repository';
import { LocalSendFailures } from './local-send-failures.service';
import { RateLimiter } from './rate-limiter.service';
import { retryDelayMs } from './retry-policy';
import { WalletLinks } from './wallet-links.service';

const PAUSED_RECHECK_MS = 30_000;

/** One attempt at one notification: render with its stored context, hand to the channel's adapter, judge the answer. */
@Injectable()
export class NotificationSender {
  constructor(
    private readonly renderer: TemplateRenderer,
    private readonly channels: ChannelRegistry,
    private readonly limiter: RateLimiter,
    @Inject(ATTACHMENT_SOURCE) private readonly attachments: AttachmentSource,
    @InjectConfig(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    private readonly localFailures: LocalSendFailures,
    private readonly metrics: PipelineMetrics,
    private readonly wallets: WalletLinks,
  ) {}

  /**
   * `pairClaimed`: whether the dispatcher already claimed this recipient's pair-limit slot, for the whole
   * batch in one statement; when absent (a single send), the slot is claimed here.
   */
  attempt(n: NotificationRecord, pairClaimed?: boolean): Promise<AttemptResult> {
    return traceDeliver(n, () => this.attemptOnce(n, pairClaimed));
  }

  private async attemptOnce(stored: NotificationRecord, pairClaimed?: boolean): Promise<AttemptResult> {
    let content: RenderedContent;
    let n = stored;
    try {
      n = await this.wallets.withLinks(stored);
      content = traceRender(n.type, () => this.render(n));
    } catch (error) {
      const message = maskPersonalData((error as Error).message);
      return failed(n, undefined, 'render-error', message, []);
    }
    const adapter = this.channels.adapterFor(n.channel);
    if (adapter.pairIntervalMs) {
      const claimed = pairClaimed ?? (await this.limiter.claimRecipient(n.channel, n.recipient, adapter.pairIntervalMs));
      if (!claimed) return deferred(n, content, 'recipient pair limit', adapter.pairIntervalMs);
    }
    const started = Date.now();
    let result: SendResult;
    try {
      const message = {
        notificationId: n.id,
        type: n.type,
        channel: n.channel,
        recipient: n.recipient,
        locale: n.locale,
        content,
        context: n.context,
        attachments: await this.attachments.attachmentsFor(n),
        correlationId: `${n.eventSource}#${n.eventId}`,
      };
      result = await traceProviderCall(adapter.name, n.channel, () => adapter.send(message));
    } catch (error) {
      // An adapter that throws has not told us the provider refused: treat it as worth another try.
      result = { outcome: 'retryable', code: 'adapter-error', message: maskPersonalData((error as Error).message) };
    }
    this.metrics.sendObserved(n, adapter.name, result, Date.now() - started);
    if (result.outcome === 'retryable' && result.local) this.localFailures.failed(n.channel, adapter.name, `${result.code}: ${result.message}`);
    else if (result.outcome === 'delivered' || result.outcome === 'accepted') this.localFailures.succeeded(n.channel);
    // The message itself is the notification's content, not part of the attempt's timeline entry.
    const { carried, ...answer } = result.outcome === 'delivered' || result.outcome === 'accepted' ? result : { ...result, carried: undefined };
    // One timeline row per attempt, the language it was rendered in among its details (issue 19: a separate
    // 'rendered' row cost PostgreSQL a heap and two index insertions per send and told nothing more). A send
    // that succeeded adds nothing to it: its outcome is the new status (docs/decisions/0049).
    const events: TimelineInput[] = [
      { kind: 'attempt', detail: { attempt: n.attempts, adapter: adapter.name, locale: content.locale, ms: Date.now() - started, ...answer } },
    ];
    return this.judge(n, carried ?? content, result, events);
  }

  /** The message as it is (or was) sent: rendered again from the stored facts, which gives the same text. */
  render(n: NotificationRecord): RenderedContent {
    // Partners receive the facts as JSON; only passenger channels have templates.
    if (n.channel === 'webhook') return { locale: n.locale, text: JSON.stringify(n.context) };
    return this.renderer.render(n.type, n.channel, n.locale, n.context);
  }

  private judge(n: NotificationRecord, content: RenderedContent, result: SendResult, events: TimelineInput[]): AttemptResult {
    switch (result.outcome) {
      case 'delivered':
      case 'accepted': {
        const status = result.outcome === 'delivered' ? 'delivered' : 'sent';
        return {
          id: n.id,
          attempt: n.attempts,
          status,
          content,
          providerMessageId: result.providerMessageId,
          segments: result.segments,
          events,
          ...(result.pause ? { pauseChannel: `${result.pause.code}: ${result.pause.message}` } : {}),
        };
      }
      case 'deferred':
        return { ...deferred(n, content, result.reason, result.retryAfterMs, events), ...(result.code ? { errorCode: result.code, error: result.reason } : {}) };
      case 'paused':
        return {
          ...deferred(n, content, `channel paused: ${result.message}`, PAUSED_RECHECK_MS, events),
          pauseChannel: `${result.code}: ${result.message}`,
        };
      case 'permanent':
        return failed(n, content, result.code, result.message, events);
      case 'retryable': {
        const ageMinutes = (Date.now() - n.createdAt.getTime()) / 60_000;
        if (ageMinutes > this.config.DELIVERY_MAX_AGE_MINUTES) {
          return failed(n, content, result.code, `too old to retry (${Math.round(ageMinutes)} min): ${result.message}`, events);
        }
        const limit = Math.min(this.config.DISPATCH_MAX_ATTEMPTS, result.giveUpAfterAttempts ?? Infinity);
        if (n.attempts >= limit) {
          return failed(n, content, result.code, `gave up after ${n.attempts} attempts: ${result.message}`, events);
        }
        // The request went out and no answer came: sending blindly again could message the passenger twice.
        if (result.mayHaveSent && this.channels.adapterFor(n.channel).inDoubt !== 'resend') {
          return {
            id: n.id,
            attempt: n.attempts,
            status: 'in_doubt',
            content,
            errorCode: result.code,
            error: result.message,
            events: [...events, { kind: 'in-doubt', detail: { reason: `no answer from the provider (${result.code}); it may have the message` } }],
          };
        }
        const retryInMs = Math.max(result.retryAfterMs ?? 0, retryDelayMs(n.attempts));
        return {
          id: n.id,
          attempt: n.attempts,
          status: 'pending',
          content,
          errorCode: result.code,
          error: result.message,
          retryInMs,
          events: [...events, { kind: 'retry-scheduled', detail: { inMs: retryInMs } }],
        };
      }
    }
  }
}

function failed(n: NotificationRecord, content: RenderedContent | undefined, code: string, message: string, events: TimelineInput[]): AttemptResult {
  return {
    id: n.id,
    attempt: n.attempts,
    status: 'failed',
    content,
    errorCode: code,
    error: message,
    events: [...events, { kind: 'failed', detail: { code, message } }],
  };
}

/** Back in line without spending an attempt: nothing went wrong with this message. */
function deferred(n: NotificationRecord, content: RenderedContent, reason: string, inMs: number, events: TimelineInput[] = []): AttemptResult {
  return {
    id: n.id,
    attempt: n.attempts,
    status: 'pending',
    content,
    retryInMs: inMs,
    refundAttempt: true,
    events: [...events, { kind: 'deferred', detail: { reason, inMs } }],
  };
}
