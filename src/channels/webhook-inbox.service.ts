import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { WebhookReceiptsRepository } from './webhook-receipts.repository';

/**
 * How long a receipt is kept: longer than any provider keeps retrying (Meta retries a webhook for up to
 * 7 days), so a late retry of something applied is still recognised. See docs/decisions/0012.
 */
export const RECEIPT_KEEP_DAYS = 30;
const PURGE_EVERY_MS = 60 * 60_000;

export type Once<T> = { applied: true; result: T } | { applied: false };

/** The reports of one webhook request, applied in one transaction. */
export interface WebhookBatch {
  /** The transaction: everything the request changes goes through it. */
  readonly manager: EntityManager;
  /**
   * Applies `effect` unless the report `key` was applied before, recording the receipt in the same
   * transaction: if the effect (or anything after it in the request) fails, the receipt goes too, and the
   * provider's retry applies the report then.
   */
  applyOnce<T>(key: string, effect: (m: EntityManager) => Promise<T>): Promise<Once<T>>;
}

/**
 * Provider webhooks applied exactly once, in effect. Providers deliver at least once and retry anything
 * that is not a 2xx (Meta for days); a request can also be captured and sent again. Each report in a
 * request is keyed by its canonical content and applied at most once, its receipt committed with its
 * effect, and a report seen before answers as a success. Every channel's webhook goes through here.
 */
@Injectable()
export class WebhookInbox {
  private readonly logger = new Logger(WebhookInbox.name);
  private lastPurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly receipts: WebhookReceiptsRepository,
  ) {}

  /** Runs `work` in one transaction; the reports it applies through the batch commit, or fail, together. */
  async receive<T>(provider: string, work: (batch: WebhookBatch) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction((manager) =>
      work({
        manager,
        applyOnce: async <R>(key: string, effect: (m: EntityManager) => Promise<R>): Promise<Once<R>> => {
          if (!(await this.receipts.record(manager, provider, key))) return { applied: false };
          return { applied: true, result: await effect(manager) };
        },
      }),
    );
    await this.purgeIfDue();
    return result;
  }

  /** One report in its own transaction. */
  applyOnce<T>(provider: string, key: string, effect: (m: EntityManager) => Promise<T>): Promise<Once<T>> {
    return this.receive(provider, (batch) => batch.applyOnce(key, effect));
  }

  private async purgeIfDue(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    try {
      await this.receipts.purgeOlderThan(RECEIPT_KEEP_DAYS);
    } catch (error) {
      // The request was applied; a purge that fails now runs again at the next one.
      this.lastPurge = 0;
      this.logger.warn(`could not purge old webhook receipts: ${(error as Error).message}`);
    }
  }
}
