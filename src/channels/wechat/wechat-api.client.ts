import { request } from 'undici';
import { recordHttpExchange } from '../../tracing/spans';

export interface WeChatClientOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
}

/** What went wrong with one request to WeChat's API, before it is judged (wechat-errors.ts). */
export type WeChatFailure =
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'network'; message: string }
  /** WeChat answers errors with HTTP 200 and an errcode; anything but 200 is trouble in front of the API. */
  | { kind: 'http'; status: number; bodyText: string }
  /** An answer without what a success carries (no msgid, no access_token) and no errcode either. */
  | { kind: 'bad-response'; status: number; bodyText: string }
  | { kind: 'api'; errcode: number; errmsg: string };

export type WeChatResult<T> = { ok: true; value: T } | { ok: false; failure: WeChatFailure };

export interface FetchedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** The body of POST /cgi-bin/message/template/send (keyword data as WeChat takes it: `{ key: { value } }`). */
export interface TemplateSendRequest {
  touser: string;
  template_id: string;
  data: Record<string, { value: string }>;
}

interface ApiAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  msgid?: number | string;
}

/**
 * The two calls of WeChat's server API the channel makes: the access token
 * (GET /cgi-bin/token?grant_type=client_credential) and a template message
 * (POST /cgi-bin/message/template/send?access_token=…). Both are bounded by the provider timeout and
 * never throw for anything WeChat or the network does.
 */
export class WeChatApiClient {
  private readonly root: string;

  constructor(private readonly options: WeChatClientOptions) {
    this.root = options.baseUrl.replace(/\/+$/, '');
  }

  async fetchToken(): Promise<WeChatResult<FetchedToken>> {
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: this.options.appId, secret: this.options.appSecret });
    const answer = await this.call('GET', `/cgi-bin/token?${query.toString()}`);
    if (!answer.ok) return answer;
    const { json, status, text } = answer.value;
    if (typeof json.access_token !== 'string' || json.access_token === '' || typeof json.expires_in !== 'number' || json.expires_in <= 0) {
      return { ok: false, failure: { kind: 'bad-response', status, bodyText: text } };
    }
    return { ok: true, value: { accessToken: json.access_token, expiresInSeconds: json.expires_in } };
  }

  /** Returns WeChat's msgid, the id its TEMPLATESENDJOBFINISH push names. */
  async sendTemplate(accessToken: string, body: TemplateSendRequest, correlationId: string): Promise<WeChatResult<string>> {
    const query = new URLSearchParams({ access_token: accessToken });
    const answer = await this.call('POST', `/cgi-bin/message/template/send?${query.toString()}`, { body: JSON.stringify(body), correlationId });
    if (!answer.ok) return answer;
    const { json, status, text } = answer.value;
    const msgid = json.msgid;
    if ((typeof msgid !== 'number' && typeof msgid !== 'string') || String(msgid) === '') {
      return { ok: false, failure: { kind: 'bad-response', status, bodyText: text } };
    }
    return { ok: true, value: String(msgid) };
  }

  private async call(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    init: { body?: string; correlationId?: string } = {},
  ): Promise<WeChatResult<{ status: number; json: ApiAnswer; text: string }>> {
    const { timeoutMs } = this.options;
    const url = `${this.root}${pathAndQuery}`;
    try {
      const response = await request(url, {
        method,
        headers: {
          ...(init.body !== undefined ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
          ...(init.correlationId ? { 'X-Correlation-Id': init.correlationId } : {}),
        },
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.body.text();
      recordHttpExchange(method, this.root, response.statusCode);
      if (response.statusCode !== 200) return { ok: false, failure: { kind: 'http', status: response.statusCode, bodyText: text.slice(0, 500) } };
      const json = parseAnswer(text);
      if (!json) return { ok: false, failure: { kind: 'bad-response', status: response.statusCode, bodyText: text.slice(0, 500) } };
      if (typeof json.errcode === 'number' && json.errcode !== 0) {
        return { ok: false, failure: { kind: 'api', errcode: json.errcode, errmsg: typeof json.errmsg === 'string' ? json.errmsg : '' } };
      }
      return { ok: true, value: { status: response.statusCode, json, text: text.slice(0, 500) } };
    } catch (error) {
      recordHttpExchange(method, this.root);
      return { ok: false, failure: toFailure(error, timeoutMs) };
    }
  }
}

/**
 * Parses WeChat's JSON answer. A msgid past Number.MAX_SAFE_INTEGER would lose its last digits as a number, and
 * the push that reports it carries the exact digits: such a msgid is taken from the text as written.
 */
function parseAnswer(text: string): ApiAnswer | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const answer = value as ApiAnswer;
    if (typeof answer.msgid === 'number' && !Number.isSafeInteger(answer.msgid)) {
      const digits = /"msgid"\s*:\s*(\d+)/.exec(text)?.[1];
      if (digits) answer.msgid = digits;
    }
    return answer;
  } catch {
    return undefined;
  }
}

function toFailure(error: unknown, timeoutMs: number): WeChatFailure {
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return { kind: 'timeout', timeoutMs };
  const cause = err?.code ?? err?.cause?.code ?? err?.cause?.message;
  return { kind: 'network', message: cause ? `${err?.message ?? 'request failed'} (${cause})` : String(err?.message ?? error) };
}
