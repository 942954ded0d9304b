import { request } from 'undici';
import { recordHttpExchange } from '../../tracing/spans';
import { parseRetryAfterMs } from '../twilio/retry-after';

export type WalletResource = 'flightClass' | 'flightObject';

/** What one PATCH came to. `unauthorized`: our access token was refused (get a new one, try again). */
export type PatchAnswer =
  | { kind: 'ok'; status: number }
  | { kind: 'not-found'; status: 404; message: string }
  | { kind: 'refused'; status: number; message: string }
  | { kind: 'unauthorized'; status: 401; message: string }
  | { kind: 'retry'; status?: number; message: string; retryAfterMs?: number };

/**
 * The Google Wallet REST API's patch methods: PATCH {base}/walletobjects/v1/flightClass/{resourceId} and
 * …/flightObject/{resourceId} with a bearer access token (https://developers.google.com/wallet/reference/rest/v1/flightclass/patch,
 * https://developers.google.com/wallet/reference/rest/v1/flightobject/patch). Never throws for what Google or the
 * network does.
 */
export class GoogleWalletClient {
  private readonly base: string;

  constructor(private readonly options: { baseUrl: string; timeoutMs: number }) {
    this.base = `${options.baseUrl.replace(/\/+$/, '')}/walletobjects/v1`;
  }

  async patch(resource: WalletResource, resourceId: string, body: object, accessToken: string): Promise<PatchAnswer> {
    const url = `${this.base}/${resource}/${encodeURIComponent(resourceId)}`;
    try {
      const response = await request(url, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json; charset=UTF-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.body.text();
      recordHttpExchange('PATCH', url, response.statusCode);
      const status = response.statusCode;
      if (status >= 200 && status < 300) return { kind: 'ok', status };
      const message = `HTTP ${status}${errorMessage(text)}`;
      if (status === 404) return { kind: 'not-found', status, message };
      if (status === 401) return { kind: 'unauthorized', status, message };
      if (status === 429 || status >= 500) {
        const header = response.headers['retry-after'];
        return { kind: 'retry', status, message, retryAfterMs: parseRetryAfterMs(Array.isArray(header) ? header[0] : header) };
      }
      return { kind: 'refused', status, message };
    } catch (error) {
      recordHttpExchange('PATCH', url);
      const err = error as { name?: string; message?: string };
      const why = err?.name === 'TimeoutError' || err?.name === 'AbortError' ? `no answer within ${this.options.timeoutMs} ms` : `cannot reach Google Wallet: ${err?.message ?? String(error)}`;
      return { kind: 'retry', message: why };
    }
  }
}

/** Google's error body: {"error": {"code", "message", "status"}}; the message names no passenger data we sent. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { status?: unknown; message?: unknown } };
    const status = typeof body.error?.status === 'string' ? ` ${body.error.status}` : '';
    const message = typeof body.error?.message === 'string' ? `: ${body.error.message.slice(0, 200)}` : '';
    return `${status}${message}`;
  } catch {
    return '';
  }
}
