import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { passFactsOf, passVisibleFacts, type PassFacts } from '../../boarding-passes/apple-wallet/pass-facts';
import type { PassIdentity } from '../../boarding-passes/apple-wallet/pass-json';
import { buildPkpass } from '../../boarding-passes/apple-wallet/pkpass-builder';
import { PkpassSigner } from '../../boarding-passes/apple-wallet/pkpass-signer';
import { boardingPassCatalogs } from '../../boarding-passes/boarding-pass-labels';
import { BoardingPassService } from '../../boarding-passes/boarding-pass.service';
import { APPLE_WALLET_CONFIG, AppleWalletConfig, InjectConfig } from '../../config/config-slices';
import type { FlightStatusData } from '../../events/event-types';
import { toFlightView } from '../../flights/flight-change-detector';
import { FlightObservers, type FlightObserver } from '../../flights/flight-observers';
import type { NotificationRecord } from '../../notifications/notification-records';
import { flightKey } from '../../vocabulary/booking-records';
import type { RenderContext } from '../../vocabulary/render-context';
import { passData } from '../boarding-pass-data';
import { AppleWalletRepository, type PassRecord } from './apple-wallet.repository';

/** What the web service answers when a request is not for a pass it can show. */
export type PassAccess = { ok: true; pass: PassRecord } | { ok: false };

interface WalletSetup {
  passTypeId: string;
  teamId: string;
  signer: PkpassSigner;
  webServiceUrl: string;
  publicBaseUrl: string;
}

/**
 * Apple Wallet boarding passes (docs/decisions/0031): one pass per passenger and leg, made when its boarding
 * pass is (the e-mail attachment, the read API), kept current by flight snapshots (gate, departure, cancellation)
 * and by a newer check-in (seat, boarding time, group), each change re-issuing it and queueing a push to every
 * device that holds it. Disabled, and answering nothing, without APPLE_WALLET_* configured.
 */
@Injectable()
export class AppleWalletPasses implements FlightObserver, OnModuleInit {
  private readonly setup: WalletSetup | undefined;
  private readonly airlineNames: Record<string, string>;

  constructor(
    @InjectConfig(APPLE_WALLET_CONFIG) config: AppleWalletConfig,
    private readonly repository: AppleWalletRepository,
    private readonly boardingPasses: BoardingPassService,
    private readonly flightObservers: FlightObservers,
  ) {
    this.airlineNames = config.AIRLINE_NAMES;
    const { APPLE_WALLET_PASS_TYPE_ID: passTypeId, APPLE_WALLET_TEAM_ID: teamId, APPLE_WALLET_CERT: cert, APPLE_WALLET_KEY: key, APPLE_WALLET_WWDR_CERT: wwdr } = config;
    if (passTypeId && teamId && cert && key && wwdr) {
      this.setup = {
        passTypeId,
        teamId,
        // Parsed now: a wrong certificate or key stops the start, not every pass.
        signer: new PkpassSigner({ certificatePem: cert, privateKeyPem: key, wwdrCertificatePem: wwdr }),
        webServiceUrl: `${config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/wallet/apple`,
        publicBaseUrl: config.PUBLIC_BASE_URL.replace(/\/+$/, ''),
      };
    }
  }

  onModuleInit(): void {
    if (this.setup) this.flightObservers.add(this);
  }

  get enabled(): boolean {
    return this.setup !== undefined;
  }

  get passTypeId(): string | undefined {
    return this.setup?.passTypeId;
  }

  /** Whether the notification's boarding pass has a wallet pass (configured, and a boarding pass with a flight). */
  covers(n: NotificationRecord): boolean {
    return this.enabled && n.type === 'boarding-pass' && n.flightKey !== null && passFactsOf(n.context) !== undefined;
  }

  /**
   * The .pkpass of the notification's passenger and leg: the pass is made on first use; a notification from a
   * newer check-in (another seat, boarding time) re-issues it.
   */
  async pkpassFor(n: NotificationRecord): Promise<Buffer | undefined> {
    const pass = await this.passFor(n);
    return pass && this.render(pass);
  }

  /**
   * Where the passenger's browser fetches the pass (the e-mail's "Add to Apple Wallet" link, docs/decisions/0034):
   * PUBLIC_BASE_URL/wallet/apple/passes/<serial>/<download token>/boarding-pass.pkpass. Makes the pass when needed.
   */
  async downloadUrlFor(n: NotificationRecord): Promise<string | undefined> {
    const pass = await this.passFor(n);
    if (!pass || !this.setup) return undefined;
    return `${this.setup.publicBaseUrl}/wallet/apple/passes/${pass.serialNumber}/${downloadToken(pass)}/boarding-pass.pkpass`;
  }

  /** The pass a download link names, when its token is that pass's download token (constant time); else nothing. */
  async authorizeDownload(serialNumber: string, token: string): Promise<PassAccess> {
    if (!this.setup || !UUID.test(serialNumber)) return { ok: false };
    const pass = await this.repository.find(this.setup.passTypeId, serialNumber);
    if (!pass || !sameSecret(token, downloadToken(pass))) return { ok: false };
    return { ok: true, pass };
  }

  /** The stored pass of the notification's passenger and leg, made on first use and re-issued for a newer check-in. */
  private async passFor(n: NotificationRecord): Promise<PassRecord | undefined> {
    const setup = this.setup;
    const facts = passFactsOf(n.context);
    if (!setup || !facts || !n.flightKey) return undefined;
    const key = { passTypeId: setup.passTypeId, bookingReference: n.bookingReference, passengerId: n.passengerId, flightKey: n.flightKey };
    return this.repository.transaction(async (m) => {
      const current = await this.repository.lockOrCreate(m, key, facts, randomBytes(32).toString('base64url'));
      const next = withCheckin(current.facts, facts);
      if (!sameVisible(current.facts, next)) {
        await this.repository.reissue(m, current.serialNumber, next);
        return this.repository.findIn(m, current.serialNumber);
      }
      return current;
    });
  }

  /** A newer flight snapshot: every pass on the flight whose visible facts change is re-issued (in the ingest transaction). */
  async flightChanged(m: EntityManager, data: FlightStatusData): Promise<void> {
    if (!this.setup) return;
    for (const pass of await this.repository.lockOnFlight(m, this.setup.passTypeId, flightKey(data))) {
      const next = withFlight(pass.facts, data);
      if (!sameVisible(pass.facts, next)) await this.repository.reissue(m, pass.serialNumber, next);
    }
  }

  /**
   * Passengers whose pass on this flight a device has registered: Wallet fetches every re-issue itself, so they need
   * no re-sent boarding pass (docs/decisions/0034). A pass only downloaded, never registered, does not count.
   */
  async keepsCurrent(m: EntityManager, flightKey: string): Promise<ReadonlySet<string>> {
    if (!this.setup) return new Set();
    return new Set(await this.repository.registeredOnFlight(m, this.setup.passTypeId, flightKey));
  }

  /**
   * The pass a Wallet request names, when its `ApplePass <token>` is the pass's own (compared in constant time);
   * otherwise nothing, whatever the reason (unknown pass type, serial or token), so nothing is learnt by guessing.
   */
  async authorize(passTypeId: string, serialNumber: string, authorization: string | undefined): Promise<PassAccess> {
    const token = /^ApplePass (\S+)$/.exec(authorization ?? '')?.[1];
    if (!this.setup || passTypeId !== this.setup.passTypeId || !token || !UUID.test(serialNumber)) return { ok: false };
    const pass = await this.repository.find(passTypeId, serialNumber);
    if (!pass || !sameSecret(token, pass.authenticationToken)) return { ok: false };
    return { ok: true, pass };
  }

  /** The signed .pkpass of a stored pass, as it is now. */
  async render(pass: PassRecord): Promise<Buffer> {
    const setup = this.setup!;
    const context: RenderContext = { type: 'boarding-pass', ...pass.facts };
    const identity: PassIdentity = {
      passTypeIdentifier: setup.passTypeId,
      teamIdentifier: setup.teamId,
      serialNumber: pass.serialNumber,
      authenticationToken: pass.authenticationToken,
      webServiceURL: setup.webServiceUrl,
      organizationName: this.airlineNames[pass.facts.flight.carrier] ?? pass.facts.flight.carrier,
      bcbp: this.boardingPasses.bcbp(passData(context)),
    };
    return buildPkpass(pass.facts, identity, boardingPassCatalogs(this.boardingPasses.catalogs), setup.signer, pass.updatedAt);
  }
}

/**
 * The secret of a pass's download link: HMAC-SHA256 of the serial under the pass's authentication token (256 bits,
 * base64url). Derived, so no column is needed, and not the token itself, so a link seen in a mail log does not let
 * anyone register a device or read the update list under the pass's ApplePass credential.
 */
export function downloadToken(pass: Pick<PassRecord, 'serialNumber' | 'authenticationToken'>): string {
  return createHmac('sha256', pass.authenticationToken).update(`download:${pass.serialNumber}`).digest('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sameSecret(given: string, stored: string): boolean {
  // Digests first: timingSafeEqual needs equal lengths, and the length must not leak either.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(stored));
}

function sameVisible(a: PassFacts, b: PassFacts): boolean {
  return JSON.stringify(passVisibleFacts(a)) === JSON.stringify(passVisibleFacts(b));
}

/** The stored facts with a flight snapshot applied; a gate the flight now names replaces the one given at check-in. */
export function withFlight(facts: PassFacts, data: FlightStatusData): PassFacts {
  const flight = toFlightView({ ...data, destination: facts.flight.destination }, { ...data, scheduledArrival: facts.flight.scheduledArrival });
  const checkin = { ...facts.checkin };
  if (flight.departureGate && flight.departureGate !== facts.flight.departureGate) delete checkin.gate;
  return { ...facts, flight, checkin };
}

/** The stored facts with a boarding pass's check-in, when that check-in is not older than the stored one. */
export function withCheckin(stored: PassFacts, incoming: PassFacts): PassFacts {
  // Strictly newer: re-sending the first boarding pass must not bring back the gate a flight change replaced.
  const newer = (incoming.checkin.checkedInAt ?? '') > (stored.checkin.checkedInAt ?? '');
  return newer ? { ...stored, passenger: incoming.passenger, checkin: incoming.checkin } : stored;
}
