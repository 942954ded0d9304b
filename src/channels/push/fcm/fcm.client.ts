import { request } from 'undici';
import { recordHttpExchange } from '../../../tracing/spans';
import { parseRetryAfterMs } from '../../twilio/retry-after';
import type { DeviceOutcome } from '../device-outcome';
import type { PushNotice } from '../push-notice';
import { classifyFcmError, type FcmErrorBody } from './fcm-errors';

/** The v1 message for one Android device (https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages). */
export function fcmMessage(token: string, notice: PushNotice, now: Date = new Date()) {
  const ttlSeconds = Math.max(0, Math.round((notice.expiresAt.getTime() - now.getTime()) / 1000));
  return {
    message: {
      token,
      notification: { title: notice.title, body: notice.body },
      data: notice.data,
      android: {
        // A newer message with the same key replaces one still waiting on FCM's side; the tag replaces the one shown.
        collapse_key: notice.collapseId,
        priority: notice.urgent ? 'HIGH' : 'NORMAL',
        ttl: `${ttlSeconds}s`,
        notification: { tag: notice.collapseId },
      },
    },
  };
}

/**
 * POST {FCM_BASE_URL}/v1/projects/{project}/messages:send with a bearer access token, bounded by the provider
 * timeout. Never throws for what FCM or the network does: every answer becomes a DeviceOutcome.
 */
export class FcmClient {
  private readonly url: string;

  constructor(private readonly options: { baseUrl: string; projectId: string; timeoutMs: number }) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(options.projectId)}/messages:send`;
  }

  async send(body: ReturnType<typeof fcmMessage>, accessToken: string, correlationId: string): Promise<DeviceOutcome> {
    try {
      const response = await request(this.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json; charset=UTF-8', 'X-Correlation-Id': correlationId },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.body.text();
      recordHttpExchange('POST', this.url, response.statusCode);
      const json = parse(text);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        const name = (json as { name?: unknown } | undefined)?.name;
        return typeof name === 'string' && name !== ''
          ? { kind: 'accepted', id: name }
          : { kind: 'retry', code: 'bad-response', message: `FCM answered HTTP ${response.statusCode} without a message name`, mayHaveSent: true };
      }
      const header = response.headers['retry-after'];
      const retryAfterMs = parseRetryAfterMs(Array.isArray(header) ? header[0] : header);
      return classifyFcmError(response.statusCode, json as FcmErrorBody | undefined, retryAfterMs);
    } catch (error) {
      recordHttpExchange('POST', this.url);
      const err = error as { name?: string; message?: string; cause?: { code?: string } };
      if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
        return { kind: 'retry', code: 'timeout', message: `FCM did not answer within ${this.options.timeoutMs} ms`, mayHaveSent: true };
      }
      const cause = err?.cause?.code ?? '';
      return { kind: 'retry', code: 'network', message: `cannot reach FCM: ${err?.message ?? String(error)} ${cause}`.trim(), mayHaveSent: !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(cause) };
    }
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
