import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters of a Twilio webhook, as posted (a name may repeat). */
export type TwilioParams = Record<string, string | readonly string[]>;

/**
 * X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + every POST parameter name and value, sorted by name)).
 * `url` is the full URL Twilio called, query string included. A repeated name contributes each of its values,
 * sorted, as twilio-node does.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Checks a signature in constant time. Twilio may have signed the URL with or without the scheme's default
 * port (:443 / :80), so both spellings are accepted, as Twilio's own helper libraries do.
 */
export function isValidTwilioSignature(authToken: string, url: string, params: TwilioParams, header: string | undefined): boolean {
  if (!header) return false;
  const given = Buffer.from(header, 'utf8');
  let valid = false;
  for (const candidate of urlSpellings(url)) {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params), 'utf8');
    // Check every spelling, so the time taken does not tell which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

function urlSpellings(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme, authority, rest] = match;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  const at = authority.lastIndexOf('@');
  const userinfo = authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const portMatch = /:(\d+)$/.exec(hostPort);
  if (portMatch && portMatch[1] !== defaultPort) return [url];
  const host = portMatch ? hostPort.slice(0, -portMatch[0].length) : hostPort;
  return [url, `${scheme}://${userinfo}${host}:${defaultPort}${rest}`, `${scheme}://${userinfo}${host}${rest}`].filter(
    (spelling, i, all) => all.indexOf(spelling) === i,
  );
}

/** Parses an application/x-www-form-urlencoded body into Twilio parameters (values as Twilio signed them, decoded). */
export function parseTwilioForm(rawBody: Buffer | string | undefined): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  if (rawBody === undefined) return params;
  for (const [name, value] of new URLSearchParams(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'))) {
    const seen = params[name];
    if (seen === undefined) params[name] = value;
    else params[name] = typeof seen === 'string' ? [seen, value] : [...seen, value];
  }
  return params;
}

/** The single value of a parameter (the first when it repeats). */
export function param(params: Record<string, string | string[]>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : value?.[0];
}
