import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ApnsClient } from '../../channels/push/apns/apns.client';
import { signProviderToken } from '../../channels/push/apns/apns-provider-token';
import { maskPushToken } from '../../channels/push/app-device';
import type { DeviceOutcome } from '../../channels/push/device-outcome';
import { SharedTokens } from '../../channels/push/shared-tokens.service';
import { APPLE_WALLET_CONFIG, AppleWalletConfig, InjectConfig } from '../../config/config-slices';
import { AppleWalletRepository, type ClaimedPush } from './apple-wallet.repository';

const POLL_MS = 1_000;
const BATCH = 50;
/** A push refused this many times is dropped: Wallet also refreshes passes on its own when the pass is shown. */
const MAX_ATTEMPTS = 10;
const PAUSED_MS = 5 * 60_000;
/** Back-off per attempt when APNs gives no Retry-After. */
const RETRY_MS = 15_000;

/** The request that tells a device a pass changed (https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes). */
export function passUpdateRequest(passTypeId: string): { headers: Record<string, string>; payload: string } {
  // An empty JSON dictionary to the pass type id as topic: Wallet then asks the web service what changed.
  return { headers: { 'apns-topic': passTypeId, 'content-type': 'application/json' }, payload: '{}' };
}

/**
 * Sends the queued pass-update pushes through APNs: the push channel's ApnsClient (one HTTP/2 session per replica),
 * with the push channel's provider token when APNS_KEY_ID, APNS_TEAM_ID and APNS_PRIVATE_KEY are set (one token for
 * both, shared by replicas through provider_tokens), else with the pass type certificate as TLS client certificate
 * (docs/decisions/0031). Rows are claimed with SKIP LOCKED, so two replicas never send the same push.
 */
@Injectable()
export class AppleWalletPusher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AppleWalletPusher.name);
  private readonly client: ApnsClient | undefined;
  private readonly token: { name: string; mint: () => ReturnType<typeof signProviderToken> } | undefined;
  private readonly passTypeId: string | undefined;
  private timer?: NodeJS.Timeout;
  private running = false;
  private pass?: Promise<void>;

  constructor(
    @InjectConfig(APPLE_WALLET_CONFIG) config: AppleWalletConfig,
    private readonly repository: AppleWalletRepository,
    private readonly tokens: SharedTokens,
  ) {
    const { APPLE_WALLET_PASS_TYPE_ID: passTypeId, APPLE_WALLET_CERT: cert, APPLE_WALLET_KEY: key, APPLE_WALLET_TEAM_ID: walletTeam } = config;
    if (!passTypeId || !cert || !key || !walletTeam || !config.APPLE_WALLET_WWDR_CERT) return;
    this.passTypeId = passTypeId;
    const { APNS_KEY_ID: keyId, APNS_TEAM_ID: teamId, APNS_PRIVATE_KEY: apnsKey } = config;
    if (keyId && teamId && apnsKey) {
      this.token = { name: `apns:${teamId}:${keyId}`, mint: () => signProviderToken(apnsKey, keyId, teamId) };
    }
    this.client = new ApnsClient({
      baseUrl: config.APNS_BASE_URL,
      topic: passTypeId,
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
      ca: config.APNS_CA_CERT,
      ...(this.token ? {} : { clientCert: { cert, key } }),
    });
  }

  onApplicationBootstrap(): void {
    if (!this.client) return;
    this.running = true;
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
    this.client?.close();
  }

  /** Sends what is due now; the loop calls it every second. */
  async sendDue(): Promise<number> {
    const claimed = await this.repository.claimPushes(BATCH);
    await Promise.all(claimed.map((p) => this.sendOne(p)));
    return claimed.length;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.pass = this.sendDue()
        .then(() => undefined)
        .catch((error: Error) => this.logger.warn(`pass update pushes: ${error.message}`))
        .finally(() => this.schedule());
    }, POLL_MS);
    this.timer.unref();
  }

  private async sendOne(p: ClaimedPush): Promise<void> {
    const device = maskPushToken(p.pushToken);
    let outcome: DeviceOutcome;
    try {
      const token = this.token ? await this.providerToken() : undefined;
      outcome = await this.client!.post(p.pushToken, ...this.request(), token);
      // The provider token was refused as expired: one new token, one more try (as the push adapter does).
      if (outcome.kind === 'expired-credential' && token) outcome = await this.client!.post(p.pushToken, ...this.request(), await this.providerToken(token));
    } catch (error) {
      outcome = { kind: 'pause', code: 'provider-token', message: (error as Error).message };
    }
    switch (outcome.kind) {
      case 'accepted':
        return this.repository.pushed(p);
      case 'removed':
        this.logger.log(`pass update: device ${device} is no longer registered with APNs (${outcome.code}); its registrations are removed`);
        return this.repository.forgetPushToken(p);
      case 'retry':
        if (p.attempts >= MAX_ATTEMPTS) return this.repository.dropPush(p);
        return this.repository.retryLater(p, outcome.retryAfterMs ?? RETRY_MS * p.attempts);
      case 'pause':
      case 'expired-credential':
        this.logger.error(`ALARM Apple Wallet pass updates refused by APNs (${outcome.code}): ${outcome.message}`);
        return this.repository.retryLater(p, PAUSED_MS);
      case 'failed':
        this.logger.warn(`pass update to device ${device} refused by APNs (${outcome.code}): ${outcome.message}`);
        return this.repository.dropPush(p);
    }
  }

  private request(): [Record<string, string>, string] {
    const { headers, payload } = passUpdateRequest(this.passTypeId!);
    return [headers, payload];
  }

  private providerToken(stale?: string): Promise<string> {
    return this.tokens.get(this.token!.name, this.token!.mint, stale);
  }
}
