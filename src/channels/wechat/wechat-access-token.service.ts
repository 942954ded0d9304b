import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig, WECHAT_CONFIG, WeChatConfig } from '../../config/config-slices';
import { WeChatApiClient, WeChatFailure } from './wechat-api.client';
import { StoredToken, WeChatTokenRepository } from './wechat-token.repository';

export type TokenResult = { ok: true; token: StoredToken } | { ok: false; failure: WeChatFailure };

type TokenConfig = Pick<WeChatConfig, 'WECHAT_APP_ID' | 'WECHAT_TOKEN_REFRESH_MARGIN_SECONDS'>;

/**
 * The Official Account's access token, one for every replica. WeChat's documentation asks for exactly this: a
 * "central control server" that fetches and refreshes the token, because each fetch invalidates the token
 * before it (after a short overlap) and fetches are limited per day. Here the central store is the
 * wechat_access_tokens row; a replica keeps the token in memory while it is fresh, reads the row when not,
 * and fetches only under the row's lock, after checking that no other replica fetched meanwhile:
 * - before expiry: a token with less than WECHAT_TOKEN_REFRESH_MARGIN_SECONDS left is replaced (WeChat keeps
 *   the old one valid for five minutes after a new one is issued, so sends in flight are not refused);
 * - at once when WeChat refuses one (40001, 40014, 42001): replaced only if the row still holds the version
 *   that was refused (compare-and-set), so a hundred sends refused together make one fetch.
 * Within a replica concurrent callers share one refresh; across replicas the row lock serialises them.
 */
@Injectable()
export class WeChatAccessTokens {
  private readonly logger = new Logger(WeChatAccessTokens.name);
  private cached: StoredToken | undefined;
  private refreshing: Promise<TokenResult> | undefined;

  constructor(
    private readonly tokens: WeChatTokenRepository,
    @InjectConfig(WECHAT_CONFIG) private readonly config: TokenConfig,
  ) {}

  /** A token good for now. */
  async current(client: WeChatApiClient): Promise<TokenResult> {
    if (this.cached && this.fresh(this.cached)) return { ok: true, token: this.cached };
    const stored = await this.tokens.current(this.appId());
    if (stored && this.fresh(stored)) return { ok: true, token: (this.cached = stored) };
    return this.refresh(client, undefined);
  }

  /** WeChat refused token `version`: a new one, fetched unless another replica already replaced it. */
  async refused(client: WeChatApiClient, version: number): Promise<TokenResult> {
    if (this.cached?.version === version) this.cached = undefined;
    return this.refresh(client, version);
  }

  private refresh(client: WeChatApiClient, refusedVersion: number | undefined): Promise<TokenResult> {
    // Callers in this replica wait for the refresh under way rather than queueing on the row lock.
    this.refreshing ??= this.refreshUnderLock(client, refusedVersion).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshUnderLock(client: WeChatApiClient, refusedVersion: number | undefined): Promise<TokenResult> {
    const appId = this.appId();
    return this.tokens.withLock(appId, async (stored, m) => {
      // Another replica fetched while this one waited for the lock: its token is the one to use.
      if (stored && this.fresh(stored) && stored.version !== refusedVersion) return { ok: true, token: (this.cached = stored) };
      const started = Date.now();
      const fetched = await client.fetchToken();
      if (!fetched.ok) {
        this.logger.warn(`could not fetch a WeChat access token: ${describe(fetched.failure)}`);
        return fetched;
      }
      // Counted from when we asked: the token's lifetime started before WeChat's answer reached us.
      const token = await this.tokens.store(m, appId, fetched.value.accessToken, new Date(started + fetched.value.expiresInSeconds * 1000));
      this.logger.log(`WeChat access token version ${token.version} fetched (${refusedVersion !== undefined ? `version ${refusedVersion} refused` : 'none fresh'}), valid until ${token.expiresAt.toISOString()}`);
      return { ok: true, token: (this.cached = token) };
    });
  }

  private fresh(token: StoredToken): boolean {
    return token.expiresAt.getTime() - this.config.WECHAT_TOKEN_REFRESH_MARGIN_SECONDS * 1000 > Date.now();
  }

  private appId(): string {
    if (!this.config.WECHAT_APP_ID) throw new Error('WECHAT_APP_ID is not set');
    return this.config.WECHAT_APP_ID;
  }
}

function describe(failure: WeChatFailure): string {
  switch (failure.kind) {
    case 'api':
      return `errcode ${failure.errcode} ${failure.errmsg}`;
    case 'timeout':
      return `no answer within ${failure.timeoutMs} ms`;
    case 'network':
      return failure.message;
    default:
      return `HTTP ${failure.status}`;
  }
}
