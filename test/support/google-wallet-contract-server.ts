import type { IncomingMessage, ServerResponse } from 'node:http';
import { importSPKI, jwtVerify, type JWTPayload } from 'jose';
import { GoogleServiceAccountServer, replyJson as reply } from './google-service-account-server';
import { readBody } from './local-http-server';

/**
 * A local stand-in for the Google Wallet API and Google's OAuth2 token endpoint, holding the service to their
 * documented contracts:
 * - POST /token takes only the service-account JWT grant (grant_type urn:ietf:params:oauth:grant-type:jwt-bearer,
 *   an RS256 assertion verified with the service account's public key: iss the account, aud this endpoint, the
 *   wallet_object.issuer scope, at most an hour of life; https://developers.google.com/identity/protocols/oauth2/service-account);
 * - PATCH and GET /walletobjects/v1/flightClass/{resourceId} and /flightObject/{resourceId} take only an access
 *   token it issued, and PATCH bodies only with the fields and formats of the REST reference
 *   (https://developers.google.com/wallet/reference/rest/v1/flightclass, …/flightobject): local date-times without
 *   an offset, the FlightStatus and barcode enums. A resource nobody saved answers 404 NOT_FOUND.
 * - `save(url)` plays a passenger opening a "Save to Google Wallet" link: the JWT must verify with the service
 *   account's key (aud "google", typ "savetowallet"); its classes and objects are then stored (created if new).
 * Anything off the contract is refused AND recorded in `violations`, which tests assert stays empty.
 */

export type WalletKind = 'flightClass' | 'flightObject';
export interface WalletPatch {
  kind: WalletKind;
  id: string;
  body: Record<string, unknown>;
  status: number;
  at: number;
}
export type WalletScript = { status?: number; headers?: Record<string, string>; delayMs?: number };

export const WALLET_SCOPE = 'https://www.googleapis.com/auth/wallet_object.issuer';
const RPC_STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

// The fields of the REST reference's resources that a request may carry (read-only ones such as classReference excluded).
const FIELDS: Record<string, readonly string[]> = {
  flightClass: [
    'kind', 'id', 'version', 'issuerName', 'reviewStatus', 'review', 'messages', 'homepageUri', 'locations', 'infoModuleData', 'imageModulesData',
    'textModulesData', 'linksModuleData', 'redemptionIssuers', 'countryCode', 'heroImage', 'wordMark', 'enableSmartTap', 'hexBackgroundColor',
    'localizedIssuerName', 'multipleDevicesAndHoldersAllowedStatus', 'callbackOptions', 'securityAnimation', 'viewUnlockRequirement', 'notifyPreference',
    'appLinkData', 'valueAddedModuleData', 'merchantLocations',
    'localScheduledDepartureDateTime', 'localEstimatedOrActualDepartureDateTime', 'localBoardingDateTime', 'localScheduledArrivalDateTime',
    'localEstimatedOrActualArrivalDateTime', 'flightHeader', 'origin', 'destination', 'flightStatus', 'boardingAndSeatingPolicy',
    'localGateClosingDateTime', 'classTemplateInfo', 'languageOverride',
  ],
  flightObject: [
    'kind', 'id', 'classId', 'version', 'state', 'barcode', 'messages', 'validTimeInterval', 'locations', 'smartTapRedemptionValue',
    'disableExpirationNotification', 'infoModuleData', 'imageModulesData', 'textModulesData', 'linksModuleData', 'appLinkData', 'rotatingBarcode',
    'heroImage', 'groupingInfo', 'passConstraints', 'saveRestrictions', 'linkedObjectIds', 'notifyPreference', 'valueAddedModuleData', 'hexBackgroundColor',
    'passengerName', 'boardingAndSeatingInfo', 'reservationInfo', 'securityProgramLogo',
  ],
  flightHeader: ['kind', 'carrier', 'flightNumber', 'operatingCarrier', 'operatingFlightNumber', 'flightNumberDisplayOverride'],
  carrier: ['kind', 'carrierIataCode', 'carrierIcaoCode', 'airlineName', 'airlineLogo', 'airlineAllianceLogo', 'wideAirlineLogo'],
  airport: ['kind', 'airportIataCode', 'terminal', 'gate', 'airportNameOverride'],
  boardingAndSeatingInfo: ['kind', 'boardingGroup', 'seatNumber', 'seatClass', 'boardingPrivilegeImage', 'boardingPosition', 'sequenceNumber', 'boardingDoor', 'seatAssignment'],
  reservationInfo: ['kind', 'confirmationCode', 'eTicketNumber', 'frequentFlyerInfo'],
  barcode: ['kind', 'type', 'renderEncoding', 'value', 'alternateText', 'showCodeText'],
};
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const FLIGHT_STATUSES = ['FLIGHT_STATUS_UNSPECIFIED', 'SCHEDULED', 'ACTIVE', 'LANDED', 'CANCELLED', 'REDIRECTED', 'DIVERTED'];
const BARCODE_TYPES = ['AZTEC', 'CODE_39', 'CODE_128', 'CODABAR', 'DATA_MATRIX', 'EAN_8', 'EAN_13', 'ITF_14', 'PDF_417', 'QR_CODE', 'UPC_A', 'TEXT_ONLY'];

export class GoogleWalletContractServer extends GoogleServiceAccountServer {
  readonly issuerId = '3388000000022299999';
  private readonly scripts = new Map<string, WalletScript[]>();
  /** What a saved pass shows now, by resource id. */
  readonly stored = new Map<string, Record<string, unknown>>();
  readonly patches: WalletPatch[] = [];

  constructor() {
    super('wallet-issuer@airline-wallet-test.iam.gserviceaccount.com', 'airline-wallet-test', WALLET_SCOPE);
  }

  /** The answers to the next PATCHes of `resourceId`, in order (a status, or only a slow normal answer); then the normal answer again. */
  script(resourceId: string, ...answers: WalletScript[]): void {
    this.scripts.set(resourceId, [...(this.scripts.get(resourceId) ?? []), ...answers]);
  }

  patchesOf(id: string): WalletPatch[] {
    return this.patches.filter((p) => p.id === id);
  }

  /** A passenger opens the save link: verified as Google would, then its class and object are in the wallet. */
  async save(url: string): Promise<{ claims: JWTPayload; header: Record<string, unknown> }> {
    const prefix = 'https://pay.google.com/gp/v/save/';
    if (!url.startsWith(prefix)) throw new Error(`not a save link: ${url.slice(0, 60)}`);
    const { payload, protectedHeader } = await jwtVerify(url.slice(prefix.length), await importSPKI(this.publicKey, 'RS256'), {
      algorithms: ['RS256'],
      issuer: this.clientEmail,
      audience: 'google',
      typ: 'JWT',
    });
    const problems: string[] = [];
    if (payload.typ !== 'savetowallet') problems.push('typ must be savetowallet');
    if (!Array.isArray(payload.origins)) problems.push('origins must be a list');
    const body = (payload.payload ?? {}) as { flightClasses?: Record<string, unknown>[]; flightObjects?: Record<string, unknown>[] };
    for (const cls of body.flightClasses ?? []) {
      problems.push(...check('flightClass', cls, true).map((p) => `flightClasses: ${p}`));
      if (!this.stored.has(String(cls.id))) this.stored.set(String(cls.id), cls);
    }
    for (const obj of body.flightObjects ?? []) {
      problems.push(...check('flightObject', obj, true).map((p) => `flightObjects: ${p}`));
      if (!this.stored.has(String(obj.classId))) problems.push(`object ${String(obj.id)} names class ${String(obj.classId)}, which the link does not carry`);
      if (!this.stored.has(String(obj.id))) this.stored.set(String(obj.id), obj);
    }
    if (problems.length > 0) this.violations.push({ path: 'save link', problems });
    return { claims: payload, header: protectedHeader as Record<string, unknown> };
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readBody(req)).toString('utf8');
    const path = req.url ?? '';
    if (req.method === 'POST' && path === '/token') return this.token(req, body, res);
    const match = /^\/walletobjects\/v1\/(flightClass|flightObject)\/([^/?]+)$/.exec(path);
    if (match && (req.method === 'PATCH' || req.method === 'GET')) return this.resource(req, match[1] as WalletKind, decodeURIComponent(match[2]), body, res);
    this.violations.push({ path, problems: [`no such operation: ${req.method} ${path}`] });
    reply(res, 404, rpcError(404, 'not found'));
  }

  private async resource(req: IncomingMessage, kind: WalletKind, id: string, body: string, res: ServerResponse): Promise<void> {
    if (!this.honoured(req)) return reply(res, 401, rpcError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.'));
    if (!id.startsWith(`${this.issuerId}.`) || !/^[0-9]+\.[A-Za-z0-9._-]+$/.test(id)) {
      this.violations.push({ path: req.url ?? '', problems: [`resource id ${id} is not <issuer id>.<identifier>`] });
      return reply(res, 400, rpcError(400, 'bad resource id'));
    }
    const current = this.stored.get(id);
    if (req.method === 'GET') return current ? reply(res, 200, current) : reply(res, 404, rpcError(404, `No ${kind} with id ${id}`));
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push({ path: req.url ?? '', problems: ['content-type must be application/json'] });
    let patch: Record<string, unknown> = {};
    try {
      patch = JSON.parse(body) as Record<string, unknown>;
    } catch {
      this.violations.push({ path: req.url ?? '', problems: ['body is not JSON'] });
      return reply(res, 400, rpcError(400, 'body is not JSON'));
    }
    const problems = check(kind, patch, false);
    if (patch.id !== undefined && patch.id !== id) problems.push('body id differs from the resource id');
    if (problems.length > 0) {
      this.violations.push({ path: req.url ?? '', problems });
      this.patches.push({ kind, id, body: patch, status: 400, at: Date.now() });
      return reply(res, 400, rpcError(400, problems.join('; ')));
    }
    const scripted = this.scripts.get(id)?.shift();
    const status = scripted?.status ?? (current ? 200 : 404);
    this.patches.push({ kind, id, body: patch, status, at: Date.now() });
    if (scripted?.delayMs) await this.delay(scripted.delayMs);
    if (status !== 200) return reply(res, status, rpcError(status, status === 404 ? `No ${kind} with id ${id}` : 'scripted'), scripted?.headers);
    // Patch semantics: the fields sent replace the stored ones; the rest stay.
    const updated = { ...current, ...patch };
    this.stored.set(id, updated);
    reply(res, 200, updated);
  }
}

/** The fields and formats of the reference; `whole`: a full resource (a save link), which needs its required fields. */
function check(kind: WalletKind, value: Record<string, unknown>, whole: boolean): string[] {
  const problems = unknownFields(kind, value, FIELDS[kind]);
  const has = (k: string) => value[k] !== undefined;
  if (kind === 'flightClass') {
    if (whole) for (const k of ['id', 'flightHeader', 'origin', 'destination', 'localScheduledDepartureDateTime']) if (!has(k)) problems.push(`${k} is required`);
    for (const k of ['localScheduledDepartureDateTime', 'localEstimatedOrActualDepartureDateTime', 'localBoardingDateTime', 'localScheduledArrivalDateTime', 'localEstimatedOrActualArrivalDateTime', 'localGateClosingDateTime']) {
      if (has(k) && !LOCAL_DATE_TIME.test(String(value[k]))) problems.push(`${k} must be a local date-time without an offset, got ${String(value[k])}`);
    }
    if (has('flightStatus') && !FLIGHT_STATUSES.includes(String(value.flightStatus))) problems.push(`flightStatus ${String(value.flightStatus)} is not a FlightStatus`);
    const header = value.flightHeader as Record<string, unknown> | undefined;
    if (header) {
      problems.push(...unknownFields('flightHeader', header, FIELDS.flightHeader));
      const carrier = header.carrier as Record<string, unknown> | undefined;
      if (carrier) problems.push(...unknownFields('flightHeader.carrier', carrier, FIELDS.carrier));
      if (carrier && !/^[A-Z0-9]{2}$/.test(String(carrier.carrierIataCode))) problems.push('flightHeader.carrier.carrierIataCode must be two characters');
    }
    for (const side of ['origin', 'destination']) {
      const airport = value[side] as Record<string, unknown> | undefined;
      if (!airport) continue;
      problems.push(...unknownFields(side, airport, FIELDS.airport));
      if (!/^[A-Z]{3}$/.test(String(airport.airportIataCode))) problems.push(`${side}.airportIataCode must be three letters`);
    }
  } else {
    if (whole) for (const k of ['id', 'classId', 'state', 'passengerName', 'reservationInfo']) if (!has(k)) problems.push(`${k} is required`);
    if (has('state') && !['ACTIVE', 'COMPLETED', 'EXPIRED', 'INACTIVE'].includes(String(value.state))) problems.push('state is not a State');
    const seating = value.boardingAndSeatingInfo as Record<string, unknown> | undefined;
    if (seating) problems.push(...unknownFields('boardingAndSeatingInfo', seating, FIELDS.boardingAndSeatingInfo));
    const reservation = value.reservationInfo as Record<string, unknown> | undefined;
    if (reservation) problems.push(...unknownFields('reservationInfo', reservation, FIELDS.reservationInfo));
    const barcode = value.barcode as Record<string, unknown> | undefined;
    if (barcode) {
      problems.push(...unknownFields('barcode', barcode, FIELDS.barcode));
      if (!BARCODE_TYPES.includes(String(barcode.type))) problems.push(`barcode.type ${String(barcode.type)} is not a BarcodeType`);
    }
  }
  return problems;
}

function unknownFields(where: string, value: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(value).filter((k) => !allowed.includes(k)).map((k) => `${where}.${k} is not a field of the reference`);
}

function rpcError(status: number, message: string): unknown {
  return { error: { code: status, message, status: RPC_STATUS[status] ?? 'UNKNOWN' } };
}

