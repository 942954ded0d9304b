import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

/** A short-lived credential as stored: used until `refreshAfter`, accepted by the provider until `expiresAt`. */
export interface StoredToken {
  token: string;
  refreshAfter: Date;
  expiresAt: Date;
}

interface TokenRow {
  token: string;
  refresh_after: Date;
  expires_at: Date;
}

const toToken = (r: TokenRow): StoredToken => ({ token: r.token, refreshAfter: r.refresh_after, expiresAt: r.expires_at });

/** `provider_tokens`: the credentials every replica shares, minted by one replica at a time. */
@Injectable()
export class ProviderTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(name: string): Promise<StoredToken | undefined> {
    const rows: TokenRow[] = await this.dataSource.query(`SELECT token, refresh_after, expires_at FROM provider_tokens WHERE name = $1`, [name]);
    return rows[0] && toToken(rows[0]);
  }

  /**
   * Runs `work` holding the transaction-scoped advisory lock of this token name, with the row as it is now:
   * replicas that find the token due all queue here, and only the first mints a new one.
   */
  async underLock<T>(name: string, work: (current: StoredToken | undefined, m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`provider-token:${name}`]);
      const rows: TokenRow[] = await m.query(`SELECT token, refresh_after, expires_at FROM provider_tokens WHERE name = $1`, [name]);
      return work(rows[0] && toToken(rows[0]), m);
    });
  }

  async save(m: EntityManager, name: string, token: StoredToken): Promise<void> {
    await m.query(
      `INSERT INTO provider_tokens (name, token, refresh_after, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET token = excluded.token, refresh_after = excluded.refresh_after,
         expires_at = excluded.expires_at, updated_at = now()`,
      [name, token.token, token.refreshAfter, token.expiresAt],
    );
  }
}
