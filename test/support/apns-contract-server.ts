import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';

/**
 * A local stand-in for APNs (api.push.apple.com): HTTP/2 over TLS with a certificate from a test CA this server
 * makes with `openssl` (the service trusts it through APNS_CA_CERT), holding the service to Apple's documented
 * request contract (https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns):
 * POST /3/device/<token>; a provider token (ES256 JWT, kid = the key id, iss = the team id, iat within the last
 * hour) verified with the key's public half; apns-topic, apns-push-type alert, apns-priority 5 or 10,
 * apns-expiration, apns-collapse-id of at most 64 bytes; a JSON payload of at most 4096 bytes with aps.alert.
 * A request off the contract is answered 400 with Apple's reason AND recorded in `violations`. Answers are
 * scripted per device token in Apple's error form (`{"reason": "…"}`).
 * Pass update pushes (acceptPassUpdates): topic = a pass type id and an empty JSON dictionary as payload, which
 * is all Wallet needs (https://developer.apple.com/documentation/walletpasses/adding-a-web-service-to-update-passes).
 */

export type ApnsScript = { status: number; reason?: string; headers?: Record<string, string> };

export interface ApnsReceived {
  deviceToken: string;
  headers: IncomingHttpHeaders;
  payload: { aps: { alert: { title: string; body: string }; 'thread-id'?: string }; [key: string]: unknown };
  providerToken: string;
  /** Which HTTP/2 connection it came on (0, 1, …). */
  session: number;
  status: number;
}

export class ApnsContractServer {
  readonly keyId = 'K3YTESTID1';
  readonly teamId = 'T3AMTESTID';
  readonly topic = 'com.example.airline';
  /** The provider token signing key (.p8 PEM) the service signs with: APNS_PRIVATE_KEY. */
  readonly privateKey: string;
  private readonly publicKey: string;
  /** The test CA's certificate (PEM): APNS_CA_CERT. */
  readonly caCert: string;
  private readonly server: Http2SecureServer;
  private readonly sessions = new Map<Http2Session, number>();
  private readonly scripts = new Map<string, ApnsScript[]>();
  /** Provider tokens issued before this instant are answered 403 ExpiredProviderToken. */
  private expiredBefore = 0;
  private port = 0;
  readonly received: ApnsReceived[] = [];
  /** Pass type ids whose update pushes this server takes (topic = pass type id, payload `{}`). */
  private readonly passTopics = new Set<string>();
  readonly violations: { path: string; problems: string[] }[] = [];

  /**
   * @param clientCa trust anchors (PEM) for certificate-based authentication: a connection may present a client
   * certificate from them, and a pass update on it needs no provider token when the certificate's UID is the topic
   * (a Pass Type ID certificate).
   */
  constructor(private readonly clientCa?: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const tls = makeTestCertificates();
    this.caCert = tls.ca;
    this.server = createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: false, ...(clientCa ? { requestCert: true, rejectUnauthorized: false, ca: clientCa } : {}) });
    this.server.on('session', (session) => this.sessions.set(session, this.sessions.size));
    this.server.on('stream', (stream, headers) => void this.handle(stream, headers));
  }

  /** The service's variables to reach this server with token authentication (the push channel's, and Wallet's). */
  tokenAuthEnv(): Record<string, string> {
    return { APNS_KEY_ID: this.keyId, APNS_TEAM_ID: this.teamId, APNS_PRIVATE_KEY: this.privateKey, APNS_BASE_URL: this.origin, APNS_CA_CERT: this.caCert };
  }

  get origin(): string {
    return `https://localhost:${this.port}`;
  }

  /** How many HTTP/2 connections the service opened. */
  get connections(): number {
    return this.sessions.size;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const session of this.sessions.keys()) session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Takes Wallet pass update pushes for this pass type id. */
  acceptPassUpdates(passTypeId: string): this {
    this.passTopics.add(passTypeId);
    return this;
  }

  script(deviceToken: string, ...answers: ApnsScript[]): void {
    this.scripts.set(deviceToken, [...(this.scripts.get(deviceToken) ?? []), ...answers]);
  }

  /** Every provider token issued until now is refused as expired (403 ExpiredProviderToken). */
  expireProviderTokens(): void {
    this.expiredBefore = Math.floor(Date.now() / 1000) + 1;
  }

  receivedBy(deviceToken: string): ApnsReceived[] {
    return this.received.filter((r) => r.deviceToken === deviceToken);
  }

  private async handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = String(headers[':path']);
    const problems: string[] = [];
    const match = /^\/3\/device\/([0-9a-f]+)$/.exec(path);
    if (headers[':method'] !== 'POST' || !match) return this.refuse(stream, path, 405, 'MethodNotAllowed', [`no such operation: ${String(headers[':method'])} ${path}`]);
    const deviceToken = match[1];

    const providerToken = /^bearer (\S+)$/.exec(String(headers.authorization ?? ''))?.[1];
    const certificateTopic = this.certificateTopic(stream);
    if (!providerToken && certificateTopic) {
      // Certificate-based authentication: the certificate names the one topic it may push to.
      if (headers['apns-topic'] !== certificateTopic || !this.passTopics.has(certificateTopic)) return this.refuse(stream, path, 400, 'TopicDisallowed', [`the client certificate is for ${certificateTopic}`]);
      if (body.toString('utf8').trim() !== '{}') return this.refuse(stream, path, 400, 'BadRequest', ['a pass update push carries an empty JSON dictionary: {}']);
      return this.record(stream, deviceToken, headers, {} as ApnsReceived['payload'], '');
    }
    if (!providerToken) return this.refuse(stream, path, 403, 'MissingProviderToken', ['no authorization: bearer <provider token>']);
    let iat = 0;
    try {
      if (decodeProtectedHeader(providerToken).kid !== this.keyId) throw new Error(`kid must be ${this.keyId}`);
      const { payload } = await jwtVerify(providerToken, await importSPKI(this.publicKey, 'ES256'), { algorithms: ['ES256'], issuer: this.teamId, maxTokenAge: '1h' });
      iat = payload.iat ?? 0;
    } catch (error) {
      return this.refuse(stream, path, 403, 'InvalidProviderToken', [`provider token: ${(error as Error).message}`]);
    }
    if (iat < this.expiredBefore) return this.answer(stream, 403, { reason: 'ExpiredProviderToken' });

    if (this.passTopics.has(String(headers['apns-topic']))) {
      // A Wallet pass update: an empty dictionary, nothing else.
      if (body.toString('utf8').trim() !== '{}') problems.push('a pass update push carries an empty JSON dictionary: {}');
      if (problems.length > 0) return this.refuse(stream, path, 400, 'BadRequest', problems);
      return this.record(stream, deviceToken, headers, {} as ApnsReceived['payload'], providerToken);
    }
    if (headers['apns-topic'] !== this.topic) problems.push(`apns-topic must be ${this.topic}`);
    if (headers['apns-push-type'] !== 'alert') problems.push('apns-push-type must be alert for a notification with an alert');
    if (!['5', '10'].includes(String(headers['apns-priority']))) problems.push('apns-priority must be 5 or 10');
    if (!/^\d+$/.test(String(headers['apns-expiration'] ?? ''))) problems.push('apns-expiration must be a UNIX epoch in seconds');
    const collapse = headers['apns-collapse-id'];
    if (collapse !== undefined && Buffer.byteLength(String(collapse)) > 64) problems.push('apns-collapse-id must be at most 64 bytes');
    if (body.length > 4096) problems.push(`payload of ${body.length} bytes; APNs takes at most 4096`);
    let payload: ApnsReceived['payload'] | undefined;
    try {
      payload = JSON.parse(body.toString('utf8')) as ApnsReceived['payload'];
      if (typeof payload.aps?.alert?.title !== 'string' || typeof payload.aps.alert.body !== 'string') problems.push('aps.alert needs title and body');
    } catch {
      problems.push('payload is not JSON');
    }
    if (problems.length > 0 || !payload) return this.refuse(stream, path, 400, 'BadRequest', problems);
    this.record(stream, deviceToken, headers, payload, providerToken);
  }

  private record(stream: ServerHttp2Stream, deviceToken: string, headers: IncomingHttpHeaders, payload: ApnsReceived['payload'], providerToken: string): void {
    const scripted = this.scripts.get(deviceToken)?.shift();
    const status = scripted?.status ?? 200;
    this.received.push({ deviceToken, headers, payload, providerToken, session: this.sessions.get(stream.session!) ?? -1, status });
    if (!scripted) return this.answer(stream, 200, undefined, { 'apns-id': randomUUID().toUpperCase() });
    this.answer(stream, scripted.status, { reason: scripted.reason ?? 'InternalServerError', ...(scripted.status === 410 ? { timestamp: Date.now() } : {}) }, scripted.headers);
  }

  /** The UID (topic) of a client certificate the connection presented and the client CA vouches for. */
  private certificateTopic(stream: ServerHttp2Stream): string | undefined {
    const socket = stream.session?.socket as TLSSocket | undefined;
    if (!this.clientCa || !socket?.authorized) return undefined;
    const uid = socket.getPeerCertificate().subject?.UID;
    return typeof uid === 'string' ? uid : undefined;
  }

  private refuse(stream: ServerHttp2Stream, path: string, status: number, reason: string, problems: string[]): void {
    this.violations.push({ path, problems });
    this.answer(stream, status, { reason });
  }

  private answer(stream: ServerHttp2Stream, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    stream.respond({ ':status': status, 'apns-id': headers['apns-id'] ?? randomUUID().toUpperCase(), ...headers, ...(body ? { 'content-type': 'application/json' } : {}) });
    stream.end(body ? JSON.stringify(body) : undefined);
  }
}

/** A test CA and a server certificate it signed for localhost and 127.0.0.1, made with the machine's openssl. */
function makeTestCertificates(): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'apns-test-ca-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=flight-notifier test CA');
    run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
    return { ca: readFileSync(join(dir, 'ca.pem'), 'utf8'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
