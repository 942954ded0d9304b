import { Injectable } from '@nestjs/common';
import { ProviderTokenRepository, StoredToken } from './provider-token.repository';

/** Makes a new credential (signs a JWT; for FCM, also trades it at the token endpoint). */
export type MintToken = () => Promise<StoredToken>;

/**
 * Short-lived provider credentials shared by every replica: FCM's OAuth2 access token and the APNs provider
 * token. Each replica keeps the current one in memory and reads `provider_tokens` when it is due; only one
 * replica mints a new one (an advisory lock; the others wait and take what it stored), so the token endpoint is
 * asked once per lifetime and APNs sees one provider token, not one per replica (it refuses updates more often
 * than every 20 minutes: docs/decisions/0028).
 */
@Injectable()
export class SharedTokens {
  private readonly cached = new Map<string, StoredToken>();

  constructor(private readonly repository: ProviderTokenRepository) {}

  /**
   * The current token of `name`. `stale`: a token the provider just refused as expired or invalid; it is not
   * handed out again (a replica that already replaced it is believed; otherwise a new one is minted).
   */
  async get(name: string, mint: MintToken, stale?: string): Promise<string> {
    const usable = (t: StoredToken | undefined): t is StoredToken => !!t && t.token !== stale && t.refreshAfter.getTime() > Date.now();
    const memory = this.cached.get(name);
    if (usable(memory)) return memory.token;
    const stored = await this.repository.find(name);
    if (usable(stored)) return this.keep(name, stored);
    const token = await this.repository.underLock(name, async (current, m) => {
      if (usable(current)) return current;
      const fresh = await mint();
      await this.repository.save(m, name, fresh);
      return fresh;
    });
    return this.keep(name, token);
  }

  private keep(name: string, token: StoredToken): string {
    this.cached.set(name, token);
    return token.token;
  }
}
