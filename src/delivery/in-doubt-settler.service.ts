import { Injectable, Logger } from '@nestjs/common';
import type { ChannelAdapter, OutboundMessage, SentLookup } from '../channels/channel-adapter';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { maskPersonalData } from '../common/mask';
import { DISPATCH_CONFIG, DispatchConfig, InjectConfig } from '../config/config-slices';
import { DELIVERY_CHANNELS, DeliveryChannel } from '../vocabulary/notification-types';
import { DispatchRepository, InDoubtRecord } from '../notifications/notification-dispatch.repository';
import { mapWithConcurrency } from './map-with-concurrency';
import { NotificationSender } from './notification-sender.service';

/** Lookups per channel and tick, how many at once, and how long a notification is held while its provider is asked. */
const LOOKUPS_PER_TICK = 50;
const LOOKUP_CONCURRENCY = 4;
const LOOKUP_LEASE_SECONDS = 30;

/**
 * Settles notifications in doubt — sends the provider may have taken (a crash after the claim, a timeout
 * after the request was written, a failed write-back) — instead of sending them again blindly
 * (docs/decisions/0015). Each channel's adapter says how:
 * - resend: sent again at once (the provider drops a copy by our id);
 * - await-report: the provider's report settles it (WhatsApp's status webhooks echo our id; applied by
 *   ProviderStatusService); without one within IN_DOUBT_RESEND_AFTER_SECONDS, sent again;
 * - lookup: the provider is asked (Twilio's Messages list) once the doubt is IN_DOUBT_LOOKUP_AFTER_SECONDS old
 *   (a request we gave up on may still reach it); sent again only when it shows nothing was sent, or when it
 *   could not be asked within the wait.
 * An answer the write-back fallback recorded for the attempt settles it wherever it would be sent again.
 * Runs on every replica; SKIP LOCKED and a short lease keep them apart.
 */
@Injectable()
export class InDoubtSettler {
  private readonly logger = new Logger(InDoubtSettler.name);

  constructor(
    private readonly repository: DispatchRepository,
    private readonly channels: ChannelRegistry,
    private readonly sender: NotificationSender,
    @InjectConfig(DISPATCH_CONFIG) private readonly config: Pick<DispatchConfig, 'IN_DOUBT_RESEND_AFTER_SECONDS' | 'IN_DOUBT_LOOKUP_AFTER_SECONDS' | 'DISPATCH_CLAIM_TIMEOUT_S'>,
  ) {}

  /** One pass over every channel; returns how many notifications left the doubt. */
  async settle(): Promise<number> {
    let done = 0;
    for (const channel of DELIVERY_CHANNELS) {
      const adapter = this.channels.adapterFor(channel);
      const policy = adapter.inDoubt ?? 'await-report';
      if (policy === 'resend') {
        done += await this.repository.releaseInDoubt({ channel, minAgeSeconds: 0 }, `${adapter.name} drops a copy it already has: sent again`);
      } else if (policy === 'lookup' && adapter.findSent) {
        done += await this.lookUp(channel, adapter);
      } else {
        const wait = this.config.IN_DOUBT_RESEND_AFTER_SECONDS;
        done += await this.repository.releaseInDoubt({ channel, minAgeSeconds: wait }, `no report from ${adapter.name} within ${wait} s: sent again`);
      }
    }
    return done;
  }

  private async lookUp(channel: DeliveryChannel, adapter: ChannelAdapter): Promise<number> {
    const held = await this.repository.leaseInDoubt(channel, LOOKUPS_PER_TICK, LOOKUP_LEASE_SECONDS, this.config.IN_DOUBT_LOOKUP_AFTER_SECONDS);
    const outcomes = await mapWithConcurrency(held, LOOKUP_CONCURRENCY, (n) => this.lookUpOne(n, adapter));
    return outcomes.filter(Boolean).length;
  }

  private async lookUpOne(n: InDoubtRecord, adapter: ChannelAdapter): Promise<boolean> {
    // Without the start of the attempt (rows claimed before it was stored), the claim's length bounds it.
    const since = n.attemptedAt ?? new Date(n.inDoubtSince.getTime() - this.config.DISPATCH_CLAIM_TIMEOUT_S * 1000);
    let found: SentLookup;
    try {
      found = await adapter.findSent!(this.messageOf(n), since);
    } catch (error) {
      found = { found: 'unknown', reason: maskPersonalData((error as Error).message) };
    }
    if (found.found === true) {
      return this.repository.settleFound(n.id, n.attempts, found.providerMessageId, {
        reason: `${adapter.name} lists this message`,
        ...found.detail,
      });
    }
    if (found.found === false) {
      return (await this.repository.releaseInDoubt({ ids: [n.id] }, `${adapter.name} shows nothing was sent: sent again`)) > 0;
    }
    const waitedSeconds = (Date.now() - n.inDoubtSince.getTime()) / 1000;
    if (waitedSeconds >= this.config.IN_DOUBT_RESEND_AFTER_SECONDS) {
      return (await this.repository.releaseInDoubt({ ids: [n.id] }, `${adapter.name} could not be asked (${found.reason}) within ${this.config.IN_DOUBT_RESEND_AFTER_SECONDS} s: sent again`)) > 0;
    }
    this.logger.warn(`in-doubt notification ${n.id}: ${adapter.name} could not be asked (${found.reason}); asking again later`);
    return false;
  }

  /** What was sent, rebuilt from the stored facts: the text is the same as the attempt's. */
  private messageOf(n: InDoubtRecord): OutboundMessage {
    return {
      notificationId: n.id,
      type: n.type,
      channel: n.channel,
      recipient: n.recipient,
      locale: n.locale,
      content: n.content ?? this.sender.render(n),
      context: n.context,
      attachments: [],
      correlationId: `${n.eventSource}#${n.eventId}`,
    };
  }
}
