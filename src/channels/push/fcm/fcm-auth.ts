import { importPKCS8, SignJWT } from 'jose';
import { request } from 'undici';
import { recordHttpExchange } from '../../../tracing/spans';
import { CredentialError, importKey } from '../credential-error';
import type { StoredToken } from '../provider-token.repository';

/** The service account fields the grant uses (the key file holds more). */
export interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

/** FCM's OAuth2 scope (https://firebase.google.com/docs/cloud-messaging/auth-server). */
export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** The assertion may live at most an hour (https://developers.google.com/identity/protocols/oauth2/service-account). */
const ASSERTION_SECONDS = 3600;
/** A new access token is fetched this long before the old one expires, so no send carries an expiring one. */
const REFRESH_MARGIN_SECONDS = 300;

/**
 * The service-account flow of Google OAuth 2.0: an RS256 JWT (iss = the account, scope, aud = the token
 * endpoint, iat, exp), signed by `jose` with the account's private key, traded at the token endpoint for an
 * access token (grant_type urn:ietf:params:oauth:grant-type:jwt-bearer). FCM's scope unless `grant` names
 * another (Google Wallet's, docs/decisions/0032).
 */
export async function grantAccessToken(
  account: ServiceAccount,
  tokenUrl: string,
  timeoutMs: number,
  now: Date = new Date(),
  grant: { scope: string; keyName: string } = { scope: FCM_SCOPE, keyName: 'FCM_SERVICE_ACCOUNT' },
): Promise<StoredToken> {
  const key = await importKey(`${grant.keyName} private_key (RS256, PKCS#8)`, () => importPKCS8(account.private_key, 'RS256'));
  const iat = Math.floor(now.getTime() / 1000);
  const assertion = await new SignJWT({ scope: grant.scope })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(account.private_key_id ? { kid: account.private_key_id } : {}) })
    .setIssuer(account.client_email)
    .setAudience(tokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_SECONDS)
    .sign(key);
  let status: number;
  let text: string;
  try {
    const response = await request(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.statusCode;
    text = await response.body.text();
    recordHttpExchange('POST', tokenUrl, status);
  } catch (error) {
    recordHttpExchange('POST', tokenUrl);
    throw new CredentialError(false, `the OAuth2 token endpoint could not be reached: ${(error as Error).message}`);
  }
  const body = parse(text);
  if (status >= 200 && status < 300 && typeof body.access_token === 'string' && typeof body.expires_in === 'number') {
    const lifetime = Math.max(60, body.expires_in);
    return {
      token: body.access_token,
      expiresAt: new Date(now.getTime() + lifetime * 1000),
      refreshAfter: new Date(now.getTime() + Math.max(30, lifetime - REFRESH_MARGIN_SECONDS) * 1000),
    };
  }
  // 400 invalid_grant / 401 invalid_client: the key or account is refused; a person must act. 5xx: ask again later.
  const why = `the OAuth2 token endpoint answered HTTP ${status}${typeof body.error === 'string' ? ` ${body.error}` : ''}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`;
  throw new CredentialError(status >= 400 && status < 500 && status !== 429, why.slice(0, 300));
}

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
