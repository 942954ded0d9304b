import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The token one Official Account uses now, as the shared row holds it. */
export interface StoredToken {
  accessToken: string;
  expiresAt: Date;
  /** Grows with every fetch: which token a refusal was about. */
  version: number;
}

/** The wechat_access_tokens table (migration 1764000017200): one shared access token per Official Account. */
@Injectable()
export class WeChatTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored token without a lock; undefined when none was ever fetched. */
  async current(appId: string): Promise<StoredToken | undefined> {
    return toToken(await this.dataSource.query(`SELECT access_token, expires_at, version FROM wechat_access_tokens WHERE app_id = $1`, [appId]));
  }

  /**
   * Runs `work` holding the account's row lock (the row is created empty the first time), with the token the
   * row holds then. Replicas that want to refresh at the same moment queue here; each sees what the one
   * before it stored, so only the first fetches.
   */
  async withLock<T>(appId: string, work: (stored: StoredToken | undefined, m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO wechat_access_tokens (app_id) VALUES ($1) ON CONFLICT (app_id) DO NOTHING`, [appId]);
      const stored = toToken(await m.query(`SELECT access_token, expires_at, version FROM wechat_access_tokens WHERE app_id = $1 FOR UPDATE`, [appId]));
      return work(stored, m);
    });
  }

  /** Stores a freshly fetched token as the next version, in the transaction that holds the lock. */
  async store(m: EntityManager, appId: string, accessToken: string, expiresAt: Date): Promise<StoredToken> {
    // In a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count], not the rows.
    const rows: { version: number }[] = await m.query(
      `WITH stored AS (
         UPDATE wechat_access_tokens SET access_token = $2, expires_at = $3, version = version + 1, fetched_at = now()
          WHERE app_id = $1 RETURNING version)
       SELECT version FROM stored`,
      [appId, accessToken, expiresAt],
    );
    return { accessToken, expiresAt, version: rows[0].version };
  }
}

function toToken(rows: { access_token: string | null; expires_at: Date | null; version: number }[]): StoredToken | undefined {
  const row = rows[0];
  if (!row?.access_token || !row.expires_at) return undefined;
  return { accessToken: row.access_token, expiresAt: row.expires_at, version: row.version };
}
