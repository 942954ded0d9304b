import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KeyLike } from 'jose';
import { DISPATCH_CONFIG, DispatchConfig, GOOGLE_WALLET_CONFIG, GoogleWalletConfig, InjectConfig } from '../../config/config-slices';
import { toFlightView } from '../../flights/flight-change-detector';
import { FlightObservers, passengerKey, type FlightObserver, type PassengerOnFlight } from '../../flights/flight-observers';
import { grantAccessToken } from '../push/fcm/fcm-auth';
import { SharedTokens } from '../push/shared-tokens.service';
import { GoogleWalletClient, type PatchAnswer } from './google-wallet.client';
import { loadSigningKey, saveClaims, saveLink } from './google-wallet-jwt';
import { flightClassFacts, flightClassId, flightClassOf, flightObjectFacts, flightObjectId, flightObjectOf, type WalletLeg } from './google-wallet-objects';
import { GoogleWalletRepository, type ClaimedPatch, type PatchOutcome } from './google-wallet.repository';

/** The Wallet API's OAuth2 scope (https://developers.google.com/wallet/reference/rest/v1/flightclass/patch). */
export const WALLET_SCOPE = 'https://www.googleapis.com/auth/wallet_object.issuer';
/** Google's token endpoint when the key file names none (https://developers.google.com/identity/protocols/oauth2/service-account). */
const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** provider_tokens row shared with the push channel's machinery (docs/decisions/0028). */
const TOKEN_NAME = 'google-wallet';
const POLL_MS = 1_000;
const BATCH = 20;
/** A claimed PATCH is another replica's to retry only after this long (far above the provider timeout). */
const LEASE_SECONDS = 120;
/** After this many failed tries a change is given up (recorded in last_error); the next change tries again. */
const MAX_ATTEMPTS = 12;


/**
 * Google Wallet boarding passes: "Save to Google Wallet" links for boarding-pass messages and the read API, and
 * the PATCHes that keep saved passes current when the flight (gate, terminal, times, status) or the passenger's
 * check-in (seat, group, sequence) changes. Off unless GOOGLE_WALLET_ISSUER_ID and GOOGLE_WALLET_SERVICE_ACCOUNT are set.
 */
@Injectable()
export class GoogleWalletService implements OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit, FlightObserver {
  private readonly logger = new Logger(GoogleWalletService.name);
  private readonly client: GoogleWalletClient;
  private key?: Promise<KeyLike>;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly repository: GoogleWalletRepository,
    private readonly tokens: SharedTokens,
    @InjectConfig(GOOGLE_WALLET_CONFIG) private readonly config: GoogleWalletConfig,
    @InjectConfig(DISPATCH_CONFIG) private readonly dispatch: Pick<DispatchConfig, 'DISPATCHER_ENABLED'>,
    private readonly flightObservers: FlightObservers,
  ) {
    this.client = new GoogleWalletClient({ baseUrl: config.GOOGLE_WALLET_BASE_URL, timeoutMs: config.PROVIDER_TIMEOUT_MS });
  }

  get enabled(): boolean {
    return !!this.config.GOOGLE_WALLET_ISSUER_ID && !!this.config.GOOGLE_WALLET_SERVICE_ACCOUNT;
  }

  /**
   * The save link of one passenger's leg, with the flight as it is now (a pass issued after a gate change shows the
   * new gate). Records the class and object as issued: only they are ever PATCHed.
   */
  async saveUrl(leg: WalletLeg, now: Date = new Date()): Promise<string | undefined> {
    const issuer = this.config.GOOGLE_WALLET_ISSUER_ID;
    const account = this.config.GOOGLE_WALLET_SERVICE_ACCOUNT;
    if (!issuer || !account) return undefined;
    const status = await this.repository.flightStatus(leg.flight);
    const current = status && toFlightView({ ...leg.flight, destination: status.snapshot.destination }, { ...status.snapshot, scheduledArrival: leg.flight.scheduledArrival });
    // A snapshot without a gate yet keeps the gate the check-in named.
    const flight = current ? { ...current, departureGate: current.departureGate ?? leg.flight.departureGate } : leg.flight;
    const issued: WalletLeg = { ...leg, flight };
    const cls = flightClassOf(issuer, issued);
    const object = flightObjectOf(issuer, issued);
    await this.repository.issuedClass(cls.id, flight, status?.version ?? 0);
    await this.repository.issuedObject(object.id, flight, leg.bookingReference, flightObjectFacts(object));
    this.key ??= loadSigningKey(account.private_key);
    this.key.catch(() => (this.key = undefined));
    return saveLink(saveClaims(account.client_email, cls, object, now), await this.key, account.private_key_id);
  }

  onModuleInit(): void {
    if (this.enabled) this.flightObservers.add(this);
  }

  /**
   * Passengers whose saved Google pass receives our PATCHes (their object's last PATCH answered 2xx), so a flight change
   * reaches it without a re-sent boarding pass (docs/decisions/0034). A link made but never known to be saved does not count.
   */
  async keepsCurrent(m: EntityManager, _flightKey: string, passengers: readonly PassengerOnFlight[]): Promise<ReadonlySet<string>> {
    const issuer = this.config.GOOGLE_WALLET_ISSUER_ID;
    if (!issuer) return new Set();
    const ids = new Map(passengers.map(({ passenger, segment }) => [flightObjectId(issuer, { bookingReference: passenger.bookingReference, passengerId: passenger.passengerId, flight: { ...segment, code: `${segment.carrier}${segment.flightNumber}` } }), passengerKey(passenger)]));
    return new Set((await this.repository.savedObjects(m, [...ids.keys()])).map((id) => ids.get(id)!));
  }

  onApplicationBootstrap(): void {
    if (!this.enabled || !this.dispatch.DISPATCHER_ENABLED) return;
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Claims and sends one batch of due PATCHes; returns how many. Public for tests. */
  async patchOnce(): Promise<number> {
    const batch = await this.repository.claimDue(BATCH, LEASE_SECONDS);
    for (const patch of batch) await this.repository.finish(patch, await this.send(patch));
    return batch.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.patchOnce();
      } catch (error) {
        this.logger.error(`Google Wallet updates failed: ${(error as Error).message}`);
      }
      if (handled < BATCH && this.running) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async send(patch: ClaimedPatch): Promise<PatchOutcome> {
    const body =
      patch.kind === 'flightClass'
        ? flightClassFacts(toFlightView(patch.snapshot, patch.snapshot))
        : patch.pending;
    let answer: PatchAnswer;
    try {
      let token = await this.accessToken();
      answer = await this.client.patch(patch.kind, patch.resourceId, body, token);
      if (answer.kind === 'unauthorized') {
        // Our access token was refused (revoked, clock skew): one new token, one more try.
        token = await this.accessToken(token);
        answer = await this.client.patch(patch.kind, patch.resourceId, body, token);
      }
    } catch (error) {
      answer = { kind: 'retry', message: `no access token: ${(error as Error).message}` };
    }
    return this.judge(patch, answer);
  }

  private judge(patch: ClaimedPatch, answer: PatchAnswer): PatchOutcome {
    const what = `${patch.kind} ${patch.resourceId}`;
    switch (answer.kind) {
      case 'ok':
        return { kind: 'done', status: answer.status };
      case 'not-found':
        // Nobody saved the pass yet (Google creates class and object on the first save), or it was deleted.
        this.logger.log(`Google Wallet has no ${what} (404): recorded, not retried`);
        return { kind: 'done', status: 404, error: answer.message };
      case 'retry': {
        if (patch.attempts + 1 >= MAX_ATTEMPTS) {
          this.logger.warn(`Google Wallet PATCH of ${what} given up after ${MAX_ATTEMPTS} tries: ${answer.message}`);
          return { kind: 'done', status: answer.status ?? 0, error: `gave up: ${answer.message}` };
        }
        return { kind: 'retry', status: answer.status, error: answer.message, delayMs: answer.retryAfterMs ?? backoffMs(patch.attempts + 1) };
      }
      default:
        this.logger.warn(`Google Wallet refused the PATCH of ${what}: ${answer.message}`);
        return { kind: 'done', status: answer.status, error: answer.message };
    }
  }

  private accessToken(stale?: string): Promise<string> {
    const account = this.config.GOOGLE_WALLET_SERVICE_ACCOUNT!;
    const tokenUrl = this.config.GOOGLE_WALLET_TOKEN_URL ?? account.token_uri ?? DEFAULT_TOKEN_URL;
    const mint = () => grantAccessToken(account, tokenUrl, this.config.PROVIDER_TIMEOUT_MS, new Date(), { scope: WALLET_SCOPE, keyName: 'GOOGLE_WALLET_SERVICE_ACCOUNT' });
    return this.tokens.get(TOKEN_NAME, mint, stale);
  }
}

/** 2 s, 4 s, 8 s … at most 15 minutes, with jitter so replicas' retries spread out. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(15 * 60_000, 2_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

