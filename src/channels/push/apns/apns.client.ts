import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { rootCertificates } from 'node:tls';
import { Logger } from '@nestjs/common';
import { recordHttpExchange } from '../../../tracing/spans';
import { parseRetryAfterMs } from '../../twilio/retry-after';
import type { DeviceOutcome } from '../device-outcome';
import type { PushNotice } from '../push-notice';
import { classifyApnsError } from './apns-errors';

export interface ApnsClientOptions {
  baseUrl: string;
  topic: string;
  timeoutMs: number;
  /** Extra trust anchors (PEM) besides Node's own. */
  ca?: string;
  /** Certificate-based authentication (PEM certificate and key), for a sender without a provider token. */
  clientCert?: { cert: string; key: string };
}

/** The request for one iOS device: headers and the JSON payload (https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns). */
export function apnsRequest(notice: PushNotice, topic: string): { headers: Record<string, string>; payload: string } {
  return {
    headers: {
      'apns-topic': topic,
      'apns-push-type': 'alert',
      // 10: at once; 5: when the phone's power allows (Apple's two values for an alert).
      'apns-priority': notice.urgent ? '10' : '5',
      'apns-expiration': String(Math.floor(notice.expiresAt.getTime() / 1000)),
      'apns-collapse-id': notice.collapseId,
      'content-type': 'application/json',
    },
    payload: JSON.stringify({
      aps: { alert: { title: notice.title, body: notice.body }, sound: 'default', 'thread-id': notice.threadId },
      ...notice.data,
    }),
  };
}

/**
 * APNs over one HTTP/2 connection shared by every send of this replica (Apple asks providers to keep
 * connections open rather than open one per notification); it is opened on first use and again after APNs
 * closes it (GOAWAY, an error). Each send is a stream on it, bounded by the provider timeout.
 */
export class ApnsClient {
  private readonly logger = new Logger(ApnsClient.name);
  private session?: ClientHttp2Session;

  constructor(private readonly options: ApnsClientOptions) {}

  async send(deviceToken: string, notice: PushNotice, providerToken: string): Promise<DeviceOutcome> {
    const { headers, payload } = apnsRequest(notice, this.options.topic);
    return this.post(deviceToken, headers, payload, providerToken);
  }

  /**
   * One request to a device with the given headers and payload (the push adapter's alert, a Wallet pass update).
   * Without a provider token the connection's client certificate authenticates it.
   */
  async post(deviceToken: string, headers: Record<string, string>, payload: string, providerToken?: string): Promise<DeviceOutcome> {
    const path = `/3/device/${encodeURIComponent(deviceToken)}`;
    let session: ClientHttp2Session;
    try {
      session = this.open();
    } catch (error) {
      return { kind: 'retry', code: 'network', message: `cannot reach APNs: ${(error as Error).message}` };
    }
    return new Promise<DeviceOutcome>((resolve) => {
      let settled = false;
      const done = (outcome: DeviceOutcome, status?: number) => {
        if (settled) return;
        settled = true;
        recordHttpExchange('POST', this.options.baseUrl, status);
        resolve(outcome);
      };
      const stream = session.request({ ':method': 'POST', ':path': path, ...(providerToken ? { authorization: `bearer ${providerToken}` } : {}), ...headers });
      let responded = false;
      stream.setTimeout(this.options.timeoutMs, () => {
        stream.close(constants.NGHTTP2_CANCEL);
        done({ kind: 'retry', code: 'timeout', message: `APNs did not answer within ${this.options.timeoutMs} ms`, mayHaveSent: true });
      });
      const chunks: Buffer[] = [];
      let status = 0;
      let apnsId = '';
      let retryAfter: string | undefined;
      stream.on('response', (h) => {
        responded = true;
        status = Number(h[':status']);
        apnsId = String(h['apns-id'] ?? '');
        retryAfter = typeof h['retry-after'] === 'string' ? h['retry-after'] : undefined;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (status === 200) return done({ kind: 'accepted', id: apnsId || 'apns' }, status);
        const reason = readReason(Buffer.concat(chunks).toString('utf8'));
        done(classifyApnsError(status, reason, parseRetryAfterMs(retryAfter)), status);
      });
      stream.on('error', (error) => {
        // Reset before any answer: the request may or may not have reached APNs.
        done({ kind: 'retry', code: 'network', message: `APNs stream failed: ${error.message}`, mayHaveSent: !responded });
      });
      stream.end(payload);
    });
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  private open(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const ca = this.options.ca ? [...rootCertificates, this.options.ca] : undefined;
    const session = connect(this.options.baseUrl, { ...(ca ? { ca } : {}), ...(this.options.clientCert ?? {}) });
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('goaway', (code) => {
      this.logger.warn(`APNs closed the connection (GOAWAY ${code}); the next send opens a new one`);
      forget();
    });
    session.on('error', (error) => {
      this.logger.warn(`APNs connection failed: ${error.message}`);
      forget();
    });
    session.on('close', forget);
    // An idle connection must not keep the process alive at shutdown.
    session.unref();
    this.session = session;
    return session;
  }
}

function readReason(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { reason?: unknown };
    return typeof body.reason === 'string' ? body.reason : undefined;
  } catch {
    return undefined;
  }
}
