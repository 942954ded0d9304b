import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The WeChat access token, one row per Official Account, shared by every replica (issue 17, docs/decisions/0027).
 * WeChat invalidates a token when a new one is fetched (after a short overlap) and limits fetches per day, so
 * replicas must not each fetch their own: the row is the "central control server" WeChat's documentation asks for.
 * `version` grows with every fetch: a replica that saw a token refused refreshes only if the row still holds the
 * version it used (compare-and-set), under the row's lock, so one refusal seen by many makes one fetch.
 * The token is at most 512 characters, per WeChat's guidance on storing it.
 */
export class WeChatAccessTokens1764000017200 implements MigrationInterface {
  name = 'WeChatAccessTokens1764000017200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS wechat_access_tokens (
        app_id text PRIMARY KEY,
        access_token text CHECK (access_token IS NULL OR length(access_token) <= 512),
        expires_at timestamptz,
        version integer NOT NULL DEFAULT 0,
        fetched_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS wechat_access_tokens`);
  }
}
