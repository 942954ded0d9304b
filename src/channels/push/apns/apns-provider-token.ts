import { importPKCS8, SignJWT } from 'jose';
import { importKey } from '../credential-error';
import type { StoredToken } from '../provider-token.repository';

/**
 * Apple asks for a new provider token at least once an hour and refuses new ones more often than every 20
 * minutes (https://developer.apple.com/documentation/usernotifications/establishing-a-token-based-connection-to-apns):
 * one token is used for 50 minutes by every replica, then the next is signed.
 */
export const PROVIDER_TOKEN_REFRESH_MS = 50 * 60_000;
const PROVIDER_TOKEN_LIFETIME_MS = 60 * 60_000;

/** The ES256 JWT APNs authenticates us by: header alg + kid (the key id), claims iss (the team id) and iat. */
export async function signProviderToken(keyPem: string, keyId: string, teamId: string, now: Date = new Date()): Promise<StoredToken> {
  const key = await importKey('APNS_PRIVATE_KEY (ES256, PKCS#8)', () => importPKCS8(keyPem, 'ES256'));
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: keyId })
    .setIssuer(teamId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .sign(key);
  return {
    token,
    refreshAfter: new Date(now.getTime() + PROVIDER_TOKEN_REFRESH_MS),
    expiresAt: new Date(now.getTime() + PROVIDER_TOKEN_LIFETIME_MS),
  };
}
