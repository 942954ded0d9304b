import { createHash } from 'node:crypto';
import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

const KEEP_HOURS = 24;

/**
 * Signed provider webhooks carry no nonce, so a captured request could be sent again as it is. Each
 * accepted (signature, body) is remembered for a day and an exact copy is refused. A provider's own
 * retry is such a copy too, but it only happens when our answer to the first one got lost — and the
 * first one was applied, so refusing the copy loses nothing.
 */
@Injectable()
export class WebhookReceiptsRepository {
  private lastPurge = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** Throws 409 when this exact signed request was accepted before. */
  async refuseReplay(provider: string, signature: string, rawBody: Buffer | undefined): Promise<void> {
    const digest = createHash('sha256').update(signature).update('\n').update(rawBody ?? Buffer.alloc(0)).digest('hex');
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO webhook_receipts (provider, digest) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [provider, digest],
    );
    await this.purgeOld();
    if (rows.length === 0) throw new ConflictException('this signed webhook was received before (replay refused)');
  }

  private async purgeOld(): Promise<void> {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.dataSource.query(`DELETE FROM webhook_receipts WHERE received_at < now() - $1 * interval '1 hour'`, [KEEP_HOURS]);
  }
}
