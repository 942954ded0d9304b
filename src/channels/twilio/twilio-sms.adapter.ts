import { Inject, Injectable, Logger } from '@nestjs/common';
import { maskPhone } from '../../common/mask';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { recordHttpExchange } from '../../tracing/spans';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../channel-adapter';
import { countSmsSegments } from './sms-segments';
import { classifyTwilioFailure } from './twilio-errors';

/** The parts of Twilio's Message resource we read (POST …/Messages.json answers 201 with it). */
interface TwilioMessageResource {
  sid?: string;
  status?: string;
  num_segments?: string;
}

/** Twilio's error body: {code, message, more_info, status}. */
interface TwilioErrorBody {
  code?: number;
  message?: string;
}

const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** Where Twilio posts status callbacks; the controller is mounted there. */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

/**
 * SMS through Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded, basic auth).
 * Twilio answers with the message sid → 'accepted'; delivery comes later through the signed StatusCallback.
 * The text's segment count (GSM-7 / UCS-2) is returned, since each segment is billed.
 */
@Injectable()
export class TwilioSmsAdapter implements ChannelAdapter {
  readonly name = 'twilio';
  readonly ratePerSecond: number;
  private readonly logger = new Logger(TwilioSmsAdapter.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.ratePerSecond = config.SMS_RATE_PER_SECOND;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM: from } = this.config;
    if (!sid || !token || !from) {
      return { outcome: 'paused', code: 'twilio-not-configured', message: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are required' };
    }
    const body = message.content.text;
    if (body.trim() === '') return { outcome: 'permanent', code: 'empty-body', message: 'the rendered SMS is empty' };
    const { segments, encoding } = countSmsSegments(body);

    const form = new URLSearchParams({ To: message.recipient, Body: body, StatusCallback: this.statusCallbackUrl() });
    form.set(MESSAGING_SERVICE_SID.test(from) ? 'MessagingServiceSid' : 'From', from);
    const url = `${this.config.TWILIO_BASE_URL.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`;

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.config.PROVIDER_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      recordHttpExchange('POST', url);
      return this.failed(message, classifyTwilioFailure({ kind: 'network', error }));
    }
    recordHttpExchange('POST', url, response.status);

    if (response.ok) {
      const resource = parseJson<TwilioMessageResource>(text);
      if (typeof resource?.sid !== 'string' || resource.sid === '') {
        // Twilio said yes but we cannot tell to what; without a sid no status would ever match it.
        return this.failed(message, { outcome: 'retryable', code: 'unreadable-response', message: `HTTP ${response.status} without a message sid` });
      }
      this.logger.debug(`sms ${message.notificationId} to ${maskPhone(message.recipient)} accepted as ${resource.sid} (${segments} ${encoding} segments)`);
      return {
        outcome: 'accepted',
        providerMessageId: resource.sid,
        segments,
        detail: { encoding, twilioStatus: resource.status, ...(resource.num_segments ? { twilioSegments: Number(resource.num_segments) } : {}) },
      };
    }
    const error = parseJson<TwilioErrorBody>(text);
    return this.failed(
      message,
      classifyTwilioFailure({
        kind: 'http',
        status: response.status,
        code: typeof error?.code === 'number' ? error.code : undefined,
        message: typeof error?.message === 'string' ? error.message : undefined,
        retryAfter: response.headers.get('retry-after'),
      }),
    );
  }

  private statusCallbackUrl(): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}`;
  }

  private failed(message: OutboundMessage, result: Exclude<SendResult, { outcome: 'delivered' | 'accepted' | 'deferred' }>): SendResult {
    this.logger.warn(`sms ${message.notificationId} to ${maskPhone(message.recipient)} ${result.outcome}: ${result.code} ${result.message}`);
    return result;
  }
}

function parseJson<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
