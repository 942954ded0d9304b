import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The webhook_receipts table: one row per provider report that was applied, keyed by the report's canonical
 * key (see webhook-keys.ts), hashed. Rows are written only inside the transaction that applies the report.
 */
@Injectable()
export class WebhookReceiptsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a receipt in the caller's transaction; false when the report was applied before. A concurrent
   * transaction holding the same key makes this wait for it: its commit means "applied before", its rollback
   * lets this one go ahead — exactly once either way.
   */
  async record(m: EntityManager, provider: string, key: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO webhook_receipts (provider, digest) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [provider, digestOf(key)],
    );
    return rows.length > 0;
  }

  /**
   * Receipts for a group of reports in one statement; for each key, whether it is new (a key twice in the group is
   * new once, the first time). Waits for concurrent transactions holding any of the keys, as `record` does; in key
   * order, so two groups sharing keys wait on each other rather than deadlock.
   */
  async recordAll(m: EntityManager, provider: string, keys: readonly string[]): Promise<boolean[]> {
    const digests = keys.map(digestOf);
    const rows: { digest: string }[] = await m.query(
      `INSERT INTO webhook_receipts (provider, digest) SELECT $1, d FROM unnest($2::text[]) AS d ORDER BY d ON CONFLICT DO NOTHING RETURNING digest`,
      [provider, [...new Set(digests)]],
    );
    const fresh = new Set(rows.map((r) => r.digest));
    return digests.map((d) => fresh.delete(d));
  }

  async purgeOlderThan(days: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `DELETE FROM webhook_receipts WHERE received_at < now() - $1 * interval '1 day' RETURNING 1`,
      [days],
    );
    return rows.length;
  }
}

function digestOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
