import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NOTIFICATIONS_DUE_CHANNEL } from '../notifications/notification.repository';
import type { NotificationRecord } from '../notifications/notification-records';
import { AttemptResult, DispatchRepository } from './dispatch.repository';
import { NotificationSender } from './notification-sender';

const RECLAIM_EVERY_MS = 5_000;

/**
 * Sends what is due. Each replica runs one loop: claim a batch (SKIP LOCKED), send it with bounded
 * concurrency, write the results back in one statement. It sleeps when idle and wakes on the
 * NOTIFY that the planning transaction sends when it commits, so latency does not depend on polling.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Dispatcher.name);
  private running = false;
  private loop?: Promise<void>;
  private listener?: Client;
  private wake?: () => void;
  private lastReclaim = 0;

  constructor(
    private readonly repository: DispatchRepository,
    private readonly sender: NotificationSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DISPATCHER_ENABLED) return;
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  /** Claims and sends one batch; returns how many it handled. Public for tests and the benchmark. */
  async dispatchOnce(): Promise<number> {
    const batch = await this.repository.claimDue(this.config.DISPATCH_BATCH_SIZE, this.config.DISPATCH_CLAIM_TIMEOUT_S);
    if (batch.length === 0) return 0;
    const results = await mapWithConcurrency(batch, this.config.DISPATCH_CONCURRENCY, (n) => this.sender.attempt(n));
    await this.repository.record(results);
    return batch.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (Date.now() - this.lastReclaim > RECLAIM_EVERY_MS) {
          this.lastReclaim = Date.now();
          const reclaimed = await this.repository.reclaimExpired();
          if (reclaimed > 0) this.logger.warn(`took back ${reclaimed} notifications from an expired claim`);
        }
        const handled = await this.dispatchOnce();
        if (handled < this.config.DISPATCH_BATCH_SIZE) await this.idle(this.config.DISPATCH_IDLE_MS);
      } catch (error) {
        this.logger.error(`dispatch failed: ${(error as Error).message}`);
        await this.idle(1_000);
      }
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** LISTEN on a connection of its own; if it drops, polling carries on and we listen again. */
  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'flight-notifier-listener' });
    client.on('notification', () => this.wake?.());
    client.on('error', (error) => {
      this.logger.warn(`notification listener lost: ${error.message}`);
      this.listener = undefined;
      if (this.running) setTimeout(() => void this.listen().catch(() => undefined), 1_000);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFICATIONS_DUE_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn(`cannot listen for due notifications, polling only: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      if (this.running) setTimeout(() => void this.listen().catch(() => undefined), 5_000);
    }
  }
}

/** Runs `work` over items with at most `limit` in flight, keeping the input order in the output. */
export async function mapWithConcurrency<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(workers);
  return results;
}

export type { AttemptResult, NotificationRecord };
