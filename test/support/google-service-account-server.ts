import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { importSPKI, jwtVerify } from 'jose';
import { LocalHttpServer } from './local-http-server';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * What every Google API contract server here needs: a service account made when the test runs (no key is
 * committed) and Google's OAuth2 token endpoint, which takes only that account's JWT grant — grant_type
 * jwt-bearer, an RS256 assertion verified with the account's public key: iss the account, aud this endpoint,
 * the API's scope, at most an hour of life (https://developers.google.com/identity/protocols/oauth2/service-account).
 * Anything off the contract is refused AND recorded in `violations`, which tests assert stays empty.
 */
export abstract class GoogleServiceAccountServer extends LocalHttpServer {
  readonly keyId = randomBytes(20).toString('hex');
  readonly privateKey: string;
  readonly publicKey: string;
  /** Access tokens this server issued and still honours. */
  protected readonly issued = new Set<string>();
  readonly grants: { at: number; kid?: string }[] = [];
  readonly violations: { path: string; problems: string[] }[] = [];

  protected constructor(
    readonly clientEmail: string,
    readonly projectId: string,
    private readonly scope: string,
  ) {
    super();
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  get tokenUrl(): string {
    return `${this.origin}/token`;
  }

  /** The key file as the Google Cloud console downloads it; token_uri points here. */
  get serviceAccount(): Record<string, string> {
    return {
      type: 'service_account',
      project_id: this.projectId,
      private_key_id: this.keyId,
      private_key: this.privateKey,
      client_email: this.clientEmail,
      token_uri: this.tokenUrl,
    };
  }

  /** The bearer token of a request, when this server issued it and still honours it. */
  protected honoured(req: IncomingMessage): boolean {
    return this.issued.has(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
  }

  protected violation(path: string, problems: string[]): void {
    this.violations.push({ path, problems });
  }

  /** POST /token. */
  protected async token(req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
    const problems: string[] = [];
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) problems.push('content-type must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== JWT_BEARER) problems.push(`grant_type must be ${JWT_BEARER}`);
    let kid: string | undefined;
    try {
      const { payload, protectedHeader } = await jwtVerify(form.get('assertion') ?? '', await importSPKI(this.publicKey, 'RS256'), {
        algorithms: ['RS256'],
        issuer: this.clientEmail,
        audience: this.tokenUrl,
        maxTokenAge: '1h',
      });
      kid = protectedHeader.kid;
      if (kid !== undefined && kid !== this.keyId) problems.push('kid is not the service account key id');
      if (payload.scope !== this.scope) problems.push(`scope must be ${this.scope}`);
      if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number' || payload.exp - payload.iat > 3600) problems.push('exp must be at most an hour after iat');
    } catch (error) {
      problems.push(`assertion: ${(error as Error).message}`);
    }
    if (problems.length > 0) {
      this.violation('/token', problems);
      return replyJson(res, 400, { error: 'invalid_grant', error_description: problems.join('; ') });
    }
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    this.issued.add(accessToken);
    this.grants.push({ at: Date.now(), kid });
    replyJson(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  }
}

export function replyJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}
