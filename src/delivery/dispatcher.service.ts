import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { DATABASE_CONFIG, DatabaseConfig, DISPATCH_CONFIG, DispatchConfig, InjectConfig } from '../config/config-slices';
import { listenForWakeups } from '../notifications/notification-wakeup.repository';
import { DELIVERY_CHANNELS, DeliveryChannel } from '../vocabulary/notification-types';
import { PipelineMetrics } from '../metrics/pipeline-metrics';
import { traceClaim } from '../tracing/spans';
import { ChannelPauseRepository } from './channel-pause.repository';
import { DispatchHandoff } from '../notifications/dispatch-handoff';
import { AttemptResult, DispatchRepository } from '../notifications/notification-dispatch.repository';
import { FallbackService } from './fallback.service';
import { InDoubtSettler } from './in-doubt-settler.service';
import { LaneWakeups } from './lane-wakeups';
import { leadIdleMs } from './lead-idle';
import { mapWithConcurrency } from './map-with-concurrency';
import { NotificationSender } from './notification-sender.service';
import type { NotificationRecord } from '../notifications/notification-records';
import { RateLimiter } from './rate-limiter.service';

const RECLAIM_EVERY_MS = 5_000;
const PAUSE_CHECK_EVERY_MS = 1_000;
/**
 * Loops after the first only poll this often when idle: lane 0 wakes them when it claims a full batch or stays in one
 * past LEAD_BUSY_HELP_MS, so their own polls are a safety net (each an empty claim: decision 0044).
 */
const HELPER_IDLE_MS = 5_000;
/** The longest lane 0 sleeps when idle (unless DISPATCH_IDLE_MS is longer): see leadIdleMs. */
const LEAD_IDLE_CAP_MS = 1_000;
/**
 * Work NOTIFYed while lane 0 has been in one batch this long goes to a helper lane (LaneWakeups): a batch at a slow
 * provider or on a cold start takes seconds, while the helpers poll every HELPER_IDLE_MS. Most of a booking stream's
 * batches end within it (decision 0044: its claims rose by half, its PostgreSQL time did not).
 */
const LEAD_BUSY_HELP_MS = 100;
/** At shutdown, how long planning transactions given places in the handoff have to commit before the dispatcher's connections close. */
const HANDOFF_CLOSE_WAIT_MS = 5_000;

/**
 * Sends what is due. Each replica runs DISPATCH_LOOPS loops per channel (a loop alternates between waiting
 * on PostgreSQL and using the CPU, so with several one sends while another waits; SKIP LOCKED keeps them
 * apart exactly as it keeps replicas apart): take rate tokens (shared by all replicas),
 * claim that many due rows (SKIP LOCKED), send them with bounded concurrency, write the results back in
 * one statement. Loops sleep when idle and wake on the NOTIFY the planning transaction sends on commit;
 * its payload names the channels that got work, so only their loops wake (which of them: LaneWakeups).
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Dispatcher.name);
  private running = false;
  private loops: Promise<void>[] = [];
  private listener?: Client;
  private readonly wakeups = new LaneWakeups(DELIVERY_CHANNELS, LEAD_BUSY_HELP_MS);
  private lastReclaim = 0;
  private pausedChannels = new Map<string, { reason: string; pausedAt: Date }>();
  private pausesCheckedAt = 0;

  constructor(
    private readonly repository: DispatchRepository,
    private readonly sender: NotificationSender,
    private readonly channels: ChannelRegistry,
    private readonly limiter: RateLimiter,
    private readonly pauses: ChannelPauseRepository,
    private readonly fallback: FallbackService,
    private readonly settler: InDoubtSettler,
    @InjectConfig(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @InjectConfig(DATABASE_CONFIG) private readonly database: Pick<DatabaseConfig, 'DATABASE_URL'>,
    private readonly metrics: PipelineMetrics,
    private readonly handoff: DispatchHandoff,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DISPATCHER_ENABLED) return;
    this.running = true;
    await this.listen();
    this.loops = DELIVERY_CHANNELS.flatMap((channel) => Array.from({ length: this.config.DISPATCH_LOOPS }, (_, lane) => this.run(channel, lane)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wakeups.stop();
    await Promise.all(this.loops);
    await this.handoff.closeAll(HANDOFF_CLOSE_WAIT_MS);
    await this.listener?.end().catch(() => undefined);
    await this.repository.close();
  }

  /** Claims and sends one batch of one channel; returns how many it handled. Public for tests and the benchmark. */
  async dispatchOnce(channel: DeliveryChannel): Promise<{ handled: number; limited: boolean; handedOver?: boolean }> {
    if (await this.isPaused(channel)) {
      await this.handoff.close(channel);
      return { handled: 0, limited: true };
    }
    const adapter = this.channels.adapterFor(channel);
    const rate = adapter.ratePerSecond;
    const bucket = `rate:${channel}:${adapter.name}${adapter.sender ? `:${adapter.sender}` : ''}`;
    const claimStarted = Date.now();
    // What planning handed over goes first (it is older than anything left pending: DispatchHandoff); else a claim.
    const handedOver = await this.openHandoff(channel, rate);
    const want = handedOver > 0 ? Math.min(handedOver, this.config.DISPATCH_BATCH_SIZE) : this.config.DISPATCH_BATCH_SIZE;
    const granted = rate ? await this.limiter.take(bucket, want, rate) : want;
    if (granted === 0) return { handled: 0, limited: true };
    let batch: NotificationRecord[];
    if (handedOver > 0) batch = await this.handoff.take(channel, granted);
    else {
      batch = await this.repository.claimDue(channel, granted, this.config.DISPATCH_CLAIM_TIMEOUT_S);
      this.handoff.claimed(channel, batch.length === granted);
    }
    if (rate) await this.limiter.giveBack(bucket, granted - batch.length, rate);
    if (batch.length === 0) return { handled: 0, limited: false };

    const paired = adapter.pairIntervalMs ? await this.claimPairs(channel, batch, adapter.pairIntervalMs) : undefined;
    // The batch is claimed: whatever happens here, its sends must still run (each then asks for itself).
    await adapter.beforeBatch?.(batch.map((n) => n.recipient)).catch((error: Error) => this.logger.debug(`${channel}: asking for the batch failed: ${error.message}`));
    const send = () => mapWithConcurrency(batch, this.config.DISPATCH_CONCURRENCY, (n) => this.sender.attempt(n, paired?.has(n.id)));
    const results = await traceClaim(channel, batch, claimStarted, send);
    const written = new Set(await this.writeBack(results));
    for (const result of results) {
      if (result.pauseChannel) await this.pause(channel, result.pauseChannel);
      if (result.status === 'failed' && written.has(result)) await this.fallback.afterPermanentFailure(result.id);
    }
    return { handled: batch.length, limited: granted < want, handedOver: handedOver > 0 };
  }

  /**
   * Opens `channel`'s handoff while this replica dispatches (it stays closed with DISPATCH_HANDOFF 0); returns how
   * many handed-over notifications wait. A rate-limited channel gets room for one second of its rate: a handed-over
   * notification waits here for its tokens, and while it waits newer news cannot supersede it (it is no longer
   * pending), so it must not wait much longer than a claimed batch does.
   */
  private async openHandoff(channel: DeliveryChannel, ratePerSecond: number | undefined): Promise<number> {
    const claimSeconds = this.config.DISPATCH_CLAIM_TIMEOUT_S;
    let capacity = this.config.DISPATCH_HANDOFF ?? this.config.DISPATCH_LOOPS * this.config.DISPATCH_BATCH_SIZE;
    if (ratePerSecond) capacity = Math.min(capacity, Math.ceil(ratePerSecond));
    if (!this.running || capacity === 0) {
      await this.handoff.close(channel);
      return 0;
    }
    this.handoff.open(channel, { capacity, claimSeconds, ready: () => this.wakeups.notify([channel]) });
    return this.handoff.waiting(channel);
  }

  /**
   * Lane 0 sleeps until the channel's next notification is due or a NOTIFY names the channel (leadIdleMs); after
   * a partial batch it waits DISPATCH_IDLE_MS. The helper lanes sleep longer and are woken when there is a backlog.
   */
  private async run(channel: DeliveryChannel, lane: number): Promise<void> {
    while (this.running) {
      try {
        await this.reclaimIfDue();
        const { handled, limited, handedOver } = await this.dispatchOnce(channel);
        // Jittered: replicas waiting on one shared rate would otherwise poll in lockstep, and the one whose
        // phase comes first would take every token as it accrues while the others never send.
        if (limited) await this.wakeups.sleep(channel, 25 + Math.random() * 50);
        // After part of a batch handed over, as after an empty claim: what went to PostgreSQL meanwhile was NOTIFYed,
        // and a claim now would find nothing due (one empty claim per flight's news in the paced storm).
        else if ((handled === 0 || (handedOver && handled < this.config.DISPATCH_BATCH_SIZE)) && lane === 0)
          await this.wakeups.sleepLead(channel, await this.emptyClaimIdleMs(channel));
        else if (handled < this.config.DISPATCH_BATCH_SIZE)
          await (lane === 0 ? this.wakeups.sleepLead(channel, this.config.DISPATCH_IDLE_MS) : this.wakeups.sleep(channel, HELPER_IDLE_MS));
        else if (lane === 0) this.wakeups.wake([channel]); // a full batch: there may be more, let the helpers in
      } catch (error) {
        this.logger.error(`dispatch on ${channel} failed: ${(error as Error).message}`);
        await this.wakeups.sleep(channel, 1_000);
      }
    }
  }

  /**
   * The pair limit (one message per recipient per interval) for a whole batch in one statement rather than
   * one query per message: the ids whose recipient may be messaged now. A recipient twice in the batch
   * gets its first notification; the others are deferred, as they would be one by one.
   */
  private async claimPairs(channel: DeliveryChannel, batch: { id: string; recipient: string }[], intervalMs: number): Promise<Set<string>> {
    const first = new Map<string, string>();
    for (const n of batch) if (!first.has(n.recipient)) first.set(n.recipient, n.id);
    // Sorted: concurrent batches (loops, replicas) then lock shared recipients in the same order, never a deadlock.
    const granted = await this.repository.claimRecipients(channel, [...first.keys()].sort(), intervalMs);
    return new Set([...granted].map((recipient) => first.get(recipient)!));
  }

  /** After an empty claim: until the channel's next due notification, within the bounds leadIdleMs keeps. */
  private async emptyClaimIdleMs(channel: DeliveryChannel): Promise<number> {
    const listening = this.listener !== undefined;
    const pollMs = this.config.DISPATCH_IDLE_MS;
    return leadIdleMs({
      nextDueInMs: listening ? await this.repository.nextDueInMs(channel) : null,
      listening,
      pollMs,
      capMs: Math.max(pollMs, LEAD_IDLE_CAP_MS),
    });
  }

  private async reclaimIfDue(): Promise<void> {
    if (Date.now() - this.lastReclaim < RECLAIM_EVERY_MS) return;
    this.lastReclaim = Date.now();
    const reclaimed = await this.repository.reclaimExpired();
    if (reclaimed > 0) this.logger.warn(`${reclaimed} notifications in doubt: their claim expired mid-send`);
    const settled = await this.settler.settle();
    if (settled > 0) {
      this.logger.log(`settled ${settled} notifications in doubt`);
      this.wakeups.wake();
    }
  }

  /**
   * The batch's results in one statement. If that fails, each result on its own, retried while the
   * database is away: a send the provider may have taken (accepted, delivered, no answer) as an in-doubt
   * record with the provider's answer in its timeline, so an accepted attempt is never lost and never sent
   * again blindly; any other result whole. What still cannot be written stays `sending` and turns in
   * doubt when its claim expires. Returns the results written whole.
   */
  private async writeBack(results: AttemptResult[]): Promise<AttemptResult[]> {
    try {
      await this.repository.record(results);
      return results;
    } catch (error) {
      const reason = `write-back failed: ${(error as Error).message}`;
      this.logger.warn(`${reason}; writing the ${results.length} results one by one`);
      const giveUpAt = Date.now() + Math.max(60_000, 2_000 * this.config.DISPATCH_CLAIM_TIMEOUT_S);
      const whole: AttemptResult[] = [];
      for (const result of results) {
        const mayHaveReached = result.status === 'sent' || result.status === 'delivered' || result.status === 'in_doubt';
        const write = mayHaveReached ? () => this.repository.recordInDoubt(result, reason) : () => this.repository.record([result]);
        if ((await retryUntil(giveUpAt, write, (e) => this.logger.warn(`notification ${result.id}: write-back again failed: ${e.message}`))) && !mayHaveReached) {
          whole.push(result);
        }
      }
      return whole;
    }
  }

  private async isPaused(channel: DeliveryChannel): Promise<boolean> {
    if (Date.now() - this.pausesCheckedAt > PAUSE_CHECK_EVERY_MS) {
      this.pausesCheckedAt = Date.now();
      this.pausedChannels = await this.pauses.paused();
    }
    return this.pausedChannels.has(channel);
  }

  private async pause(channel: DeliveryChannel, reason: string): Promise<void> {
    await this.pauses.pause(channel, reason);
    this.metrics.channelPaused(channel);
    this.pausedChannels.set(channel, { reason, pausedAt: new Date() });
    // The alarm: an operator must renew the credentials and resume the channel.
    this.logger.error(`ALARM channel ${channel} paused: ${reason}`);
  }

  /** The NOTIFY payload: comma-separated channels that got due work; empty (older senders) = all. */
  private wakeFor(payload: string | undefined): void {
    const named = (payload ?? '').split(',').filter((c): c is DeliveryChannel => (DELIVERY_CHANNELS as readonly string[]).includes(c));
    this.wakeups.notify(named.length ? named : DELIVERY_CHANNELS);
  }

  /** LISTEN on a connection of its own; if it drops, polling carries on and we listen again. */
  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.database.DATABASE_URL, application_name: 'flight-notifier-listener' });
    client.on('notification', (message) => this.wakeFor(message.payload));
    client.on('error', (error) => {
      this.logger.warn(`notification listener lost: ${error.message}`);
      this.listener = undefined;
      if (this.running) setTimeout(() => void this.listen().catch(() => undefined), 1_000);
    });
    try {
      await client.connect();
      await listenForWakeups(client);
      this.listener = client;
    } catch (error) {
      this.logger.warn(`cannot listen for due notifications, polling only: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      if (this.running) setTimeout(() => void this.listen().catch(() => undefined), 5_000);
    }
  }
}

/** Runs `work` until it succeeds or `giveUpAt` passes, pausing 0.1 s, 0.2 s … 5 s between tries; true when it succeeded. */
async function retryUntil(giveUpAt: number, work: () => Promise<void>, onError: (error: Error) => void): Promise<boolean> {
  for (let pause = 100; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      await work();
      return true;
    } catch (error) {
      onError(error as Error);
      if (Date.now() + pause > giveUpAt) return false;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

export { mapWithConcurrency } from './map-with-concurrency';
