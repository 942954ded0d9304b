import { Injectable, Logger } from '@nestjs/common';
import { maskPhone } from '../../common/mask';
import { TWILIO_CONFIG, TwilioConfig, InjectConfig } from '../../config/config-slices';
import { recordHttpExchange } from '../../tracing/spans';
import type { ChannelAdapter, InDoubtSettlement, OutboundMessage, SendResult, SentLookup } from '../channel-adapter';
import { countSmsSegments } from '../../rendering/sms-segments';
import { classifyTwilioFailure } from './twilio-errors';
import { ChannelProvider } from '../channel-provider.decorator';

/** The parts of Twilio's Message resource we read (POST …/Messages.json answers 201 with it). */
interface TwilioMessageResource {
  sid?: string;
  status?: string;
  num_segments?: string;
  to?: string;
  from?: string | null;
  messaging_service_sid?: string | null;
  body?: string;
  direction?: string;
  /** RFC 2822 dates; date_sent is null until Twilio has sent it. */
  date_created?: string;
  date_sent?: string | null;
}

/** A page of GET …/Messages.json. */
interface TwilioMessagePage {
  messages?: TwilioMessageResource[];
  next_page_uri?: string | null;
}

/** Pages of the Messages list read per lookup (1,000 messages each) before the answer is "cannot tell". */
const LOOKUP_MAX_PAGES = 3;
/** Clock difference between us and Twilio allowed when comparing the attempt's start with Twilio's dates. */
const CLOCK_SLACK_MS = 60_000;

/** Twilio's error body: {code, message, more_info, status}. */
interface TwilioErrorBody {
  code?: number;
  message?: string;
}

const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** Where Twilio posts status callbacks; the controller is mounted there. */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';
/** The query parameter of the StatusCallback URL that names our notification. */
export const TWILIO_STATUS_NOTIFICATION = 'notification';

/**
 * SMS through Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded, basic auth).
 * Twilio answers with the message sid → 'accepted'; delivery comes later through the signed StatusCallback.
 * The text's segment count (GSM-7 / UCS-2) is returned, since each segment is billed.
 */
@ChannelProvider({ channel: 'sms', enabled: (config) => config.CHANNEL_SMS === 'twilio' })
@Injectable()
export class TwilioSmsAdapter implements ChannelAdapter {
  readonly name = 'twilio';
  readonly ratePerSecond: number;
  /** A send in doubt is looked up in Twilio's Messages list (findSent). */
  readonly inDoubt: InDoubtSettlement = 'lookup';
  private readonly logger = new Logger(TwilioSmsAdapter.name);

  constructor(@InjectConfig(TWILIO_CONFIG) private readonly config: TwilioConfig) {
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

    const form = new URLSearchParams({ To: message.recipient, Body: body, StatusCallback: this.statusCallbackUrl(message.notificationId) });
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
      const result = classifyTwilioFailure({ kind: 'network', error });
      // The request went out and no answer came: Twilio may have created the message (findSent will tell).
      return this.failed(message, result.outcome === 'retryable' && requestMayHaveArrived(error) ? { ...result, mayHaveSent: true } : result);
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

  /**
   * Whether Twilio has this message, sent from `since` on: GET …/Messages.json filtered by To, From (unless
   * a Messaging Service sends) and DateSent>= the attempt's day (Twilio filters by whole GMT days), then
   * matched here on recipient, sender, body text and time. Twilio lists only what it has sent (date_sent
   * set); a message still queued there is not listed (docs/decisions/0015).
   */
  async findSent(message: OutboundMessage, since: Date): Promise<SentLookup> {
    const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM: from } = this.config;
    if (!sid || !token || !from) return { found: 'unknown', reason: 'Twilio is not configured' };
    const viaService = MESSAGING_SERVICE_SID.test(from);
    const earliest = since.getTime() - CLOCK_SLACK_MS;
    const query = new URLSearchParams({ To: message.recipient, ...(viaService ? {} : { From: from }), PageSize: '1000' });
    query.set('DateSent>', new Date(earliest).toISOString().slice(0, 10));
    const base = this.config.TWILIO_BASE_URL.replace(/\/+$/, '');
    let path: string | null | undefined = `/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json?${query.toString()}`;
    for (let page = 0; path && page < LOOKUP_MAX_PAGES; page++) {
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${base}${path}`, {
          headers: { Authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`, Accept: 'application/json' },
          signal: AbortSignal.timeout(this.config.PROVIDER_TIMEOUT_MS),
        });
        text = await response.text();
      } catch (error) {
        const failure = classifyTwilioFailure({ kind: 'network', error });
        return { found: 'unknown', reason: `${failure.code}: ${failure.message}` };
      }
      if (!response.ok) return { found: 'unknown', reason: `Messages list answered HTTP ${response.status}` };
      const list = parseJson<TwilioMessagePage>(text);
      if (!Array.isArray(list?.messages)) return { found: 'unknown', reason: 'Messages list without messages' };
      const match = list.messages.find((m) => {
        const at = Date.parse(m.date_sent ?? m.date_created ?? '');
        const sender = viaService ? m.messaging_service_sid : m.from;
        return m.direction?.startsWith('outbound') && m.to === message.recipient && sender === from && m.body === message.content.text && at >= earliest;
      });
      if (match?.sid) {
        return { found: true, providerMessageId: match.sid, detail: { twilioStatus: match.status, dateSent: match.date_sent ?? null } };
      }
      path = list.next_page_uri;
    }
    return path ? { found: 'unknown', reason: `more than ${LOOKUP_MAX_PAGES} pages of messages to this number` } : { found: false };
  }

  /**
   * Where Twilio reports this message's status. Our notification id rides in the URL (Twilio signs the URL, query
   * included), so a report can settle a send whose answer we never stored — in doubt — as Meta's
   * biz_opaque_callback_data does for WhatsApp (decision 0050).
   */
  private statusCallbackUrl(notificationId: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}?${TWILIO_STATUS_NOTIFICATION}=${encodeURIComponent(notificationId)}`;
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

/** A timeout or a connection lost mid-request may hide a created message; a refused connection or unknown host cannot. */
function requestMayHaveArrived(error: unknown): boolean {
  const err = error as { name?: string; cause?: { code?: string } } | undefined;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return true;
  return !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(err?.cause?.code ?? '');
}
