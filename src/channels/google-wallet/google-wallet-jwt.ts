import { importPKCS8, SignJWT, type KeyLike } from 'jose';
import { importKey } from '../push/credential-error';
import type { FlightClass, FlightObject } from './google-wallet-objects';

/** Where a signed save JWT is opened (https://developers.google.com/wallet/reference/rest/v1/jwt). */
export const SAVE_URL_PREFIX = 'https://pay.google.com/gp/v/save/';

/** The claims of a "Save to Google Wallet" JWT, as the JWT reference names them. */
export interface SaveClaims {
  iss: string;
  aud: 'google';
  typ: 'savetowallet';
  iat: number;
  origins: string[];
  payload: { flightClasses: FlightClass[]; flightObjects: FlightObject[] };
}

export function saveClaims(clientEmail: string, cls: FlightClass, object: FlightObject, now: Date): SaveClaims {
  return {
    iss: clientEmail,
    aud: 'google',
    typ: 'savetowallet',
    iat: Math.floor(now.getTime() / 1000),
    // No web page of ours embeds the save button: the link is opened from a message, so no origin is named.
    origins: [],
    payload: { flightClasses: [cls], flightObjects: [object] },
  };
}

export function loadSigningKey(privateKeyPem: string): Promise<KeyLike> {
  return importKey('GOOGLE_WALLET_SERVICE_ACCOUNT private_key (RS256, PKCS#8)', () => importPKCS8(privateKeyPem, 'RS256'));
}

/** The save link: the claims signed RS256 with the service account's key (kid: its key id, when known). */
export async function saveLink(claims: SaveClaims, key: KeyLike, keyId?: string): Promise<string> {
  const { iss, aud, iat, ...rest } = claims;
  const jwt = await new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) })
    .setIssuer(iss)
    .setAudience(aud)
    .setIssuedAt(iat)
    .sign(key);
  return `${SAVE_URL_PREFIX}${jwt}`;
}
