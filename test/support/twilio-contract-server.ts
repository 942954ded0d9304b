import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countSmsSegments } from '../../src/rendering/sms-segments';
import { LocalHttpServer, readBody } from './local-http-server';

/** A request the contract server took, as Twilio would see it. */
export interface RecordedTwilioRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: { user: string; password: string } | undefined;
  form: Record<string, string>;
  /** The sid answered (only for accepted messages). */
  sid?: string;
}

/** One scripted answer, used once, in order, before the normal behaviour resumes. */
export type ScriptedTwilioAnswer =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hangUp: true }
  /** Creates the message, then closes the connection without answering: the sender cannot know it was taken. */
  | { acceptThenHangUp: true }
  | { delayMs: number }
  /**
   * Answers nothing and takes the message only once `takeWhen` settles, whether or not the sender is still there:
   * a request that reached Twilio after the sender gave up on it.
   */
  | { takeWhen: Promise<unknown> };

/** A message Twilio took, as its Messages list shows it. */
export interface TwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  body: string;
  status: string;
  direction: 'outbound-api';
  date_created: string;
  date_sent: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * A local stand-in for Twilio's Messages API (node:http on 127.0.0.1:0) that enforces the parts of its contract
 * the adapter relies on: the path with the account sid, HTTP basic auth sid:token (else 401 / 20003), a
 * form-encoded body with To, Body and From or MessagingServiceSid (else 400 / 21604 / 21602), an E.164 'To'
 * (else 400 / 21211). Accepted messages get 201 and a Message resource with a fresh SM… sid.
 * Failures can be scripted; every request is recorded.
 */
export class TwilioContractServer extends LocalHttpServer {
  readonly requests: RecordedTwilioRequest[] = [];
  /** Every message it took, oldest first (what GET …/Messages.json lists). */
  readonly messages: TwilioMessage[] = [];
  private readonly script: ScriptedTwilioAnswer[] = [];

  constructor(
    readonly accountSid = `AC${randomBytes(16).toString('hex')}`,
    readonly authToken = randomBytes(16).toString('hex'),
  ) {
    super();
  }

  /** Base URL to put in TWILIO_BASE_URL. */
  get baseUrl(): string {
    return this.origin;
  }

  /**
   * The service's Twilio variables for this server (CHANNEL_SMS=twilio puts the adapter on the channel);
   * status callbacks are signed for `publicBaseUrl`, the address Twilio is told to call back.
   */
  env(publicBaseUrl: string): Record<string, string> {
    return {
      TWILIO_BASE_URL: this.baseUrl,
      TWILIO_ACCOUNT_SID: this.accountSid,
      TWILIO_AUTH_TOKEN: this.authToken,
      TWILIO_FROM: '+3197010200300',
      PUBLIC_BASE_URL: publicBaseUrl,
    };
  }

  /** Queues answers for the next requests (one each). */
  answerNext(...answers: ScriptedTwilioAnswer[]): void {
    this.script.push(...answers);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const [pathOnly, queryString = ''] = (req.url ?? '').split('?');
    const form = Object.fromEntries(new URLSearchParams(req.method === 'GET' ? queryString : raw.toString('utf8')));
    const recorded: RecordedTwilioRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      contentType: req.headers['content-type'],
      authorization: basicAuth(req.headers.authorization),
      form,
    };
    this.requests.push(recorded);

    const scripted = this.script.shift();
    if (scripted && 'hangUp' in scripted) {
      req.socket.destroy();
      return;
    }
    if (scripted && 'takeWhen' in scripted) await scripted.takeWhen;
    else if (scripted && 'delayMs' in scripted) {
      await this.delay(scripted.delayMs);
      if (res.destroyed) return;
    }
    if (scripted && 'status' in scripted) {
      res.writeHead(scripted.status, { 'Content-Type': 'application/json', ...scripted.headers });
      res.end(scripted.body === undefined ? '' : typeof scripted.body === 'string' ? scripted.body : JSON.stringify(scripted.body));
      return;
    }

    const expectedPath = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    if ((req.method !== 'POST' && req.method !== 'GET') || pathOnly !== expectedPath) return error(res, 404, 20404, 'The requested resource was not found');
    if (req.method === 'POST' && recorded.path !== expectedPath) return error(res, 404, 20404, 'The requested resource was not found');
    const auth = recorded.authorization;
    if (!auth || auth.user !== this.accountSid || auth.password !== this.authToken) return error(res, 401, 20003, 'Authenticate');
    if (req.method === 'GET') return this.list(res, form);
    if (!recorded.contentType?.startsWith('application/x-www-form-urlencoded')) return error(res, 400, 20001, 'Content-Type must be form-encoded');
    if (!form.To) return error(res, 400, 21604, "A 'To' phone number is required.");
    if (!form.From && !form.MessagingServiceSid) return error(res, 400, 21603, "A 'From' phone number is required.");
    if (!form.Body) return error(res, 400, 21602, 'Message body is required.');
    if (!E164.test(form.To)) return error(res, 400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);

    const sid = `SM${randomBytes(16).toString('hex')}`;
    recorded.sid = sid;
    // Sent at once: the list shows it with its date_sent (a real account may keep it queued a while).
    const now = rfc2822(new Date());
    this.messages.push({
      sid,
      to: form.To,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      body: form.Body,
      status: 'sent',
      direction: 'outbound-api',
      date_created: now,
      date_sent: now,
    });
    if (scripted && ('acceptThenHangUp' in scripted || 'takeWhen' in scripted)) {
      req.socket.destroy();
      return;
    }
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        sid,
        account_sid: this.accountSid,
        to: form.To,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        body: form.Body,
        status: 'queued',
        num_segments: String(countSmsSegments(form.Body).segments),
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        date_created: now,
        date_sent: null,
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
      }),
    );
  }

  /** Messages it took with this exact text to `to` (a count above 1 is a message sent twice). */
  messagesTo(to: string, body?: string): TwilioMessage[] {
    return this.messages.filter((m) => m.to === to && (body === undefined || m.body === body));
  }

  /**
   * GET …/Messages.json: To, From and DateSent (YYYY-MM-DD in GMT; `DateSent>=` and `DateSent<=` for on or
   * after / before midnight of that day, sent as the parameters `DateSent>` / `DateSent<`), PageSize up to
   * 1,000; newest first, one page (next_page_uri null).
   */
  private list(res: ServerResponse, query: Record<string, string>): void {
    const day = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);
    for (const key of ['DateSent', 'DateSent>', 'DateSent<']) {
      if (query[key] !== undefined && !day(query[key])) return error(res, 400, 20001, `Invalid ${key}: ${query[key]} (YYYY-MM-DD)`);
    }
    const pageSize = query.PageSize === undefined ? 50 : Number(query.PageSize);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) return error(res, 400, 20001, 'PageSize must be 1–1000');
    const sentDay = (m: TwilioMessage) => new Date(m.date_sent).toISOString().slice(0, 10);
    const matching = this.messages
      .filter((m) => (query.To === undefined || m.to === query.To) && (query.From === undefined || m.from === query.From))
      .filter((m) => (query.DateSent === undefined || sentDay(m) === query.DateSent) && (query['DateSent>'] === undefined || sentDay(m) >= query['DateSent>']))
      .filter((m) => query['DateSent<'] === undefined || sentDay(m) <= query['DateSent<'])
      .reverse()
      .slice(0, pageSize);
    const uri = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        messages: matching.map((m) => ({ ...m, account_sid: this.accountSid, num_segments: String(countSmsSegments(m.body).segments) })),
        page: 0,
        page_size: pageSize,
        start: 0,
        end: Math.max(0, matching.length - 1),
        uri,
        first_page_uri: uri,
        next_page_uri: null,
        previous_page_uri: null,
      }),
    );
  }
}

/** Twilio's date format: RFC 2822 in GMT ("Tue, 01 Dec 2026 07:35:00 +0000"). */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

function error(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

function basicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
