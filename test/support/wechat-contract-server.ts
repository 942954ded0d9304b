import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACCOUNT_TEMPLATES, templateKeywords } from './wechat-account-templates';
import { LocalHttpServer, readBody } from './local-http-server';

/** One template send the server took, as WeChat would see it. */
export interface RecordedSend {
  accessToken: string | null;
  body: { touser?: unknown; template_id?: unknown; data?: Record<string, { value?: unknown }> } | undefined;
  errcode: number;
  /** The msgid answered (errcode 0 only), exactly as written in the JSON. */
  msgid?: string;
}

export interface WeChatError {
  errcode: number;
  errmsg: string;
}

/** Limits of category-template keyword kinds (Template Message Interface, category templates; see docs/decisions/0027). */
const KIND_RULES: Readonly<Record<string, (value: string) => boolean>> = {
  thing: (v) => [...v].length <= 20,
  keyword: () => true,
  character_string: (v) => v.length <= 32 && /^[\x21-\x7E]+$/.test(v),
  number: (v) => v.length <= 32 && /^\d+(\.\d+)?$/.test(v),
  time: (v) => /^(\d{4}[-/.]\d{2}[-/.]\d{2} |\d{4}年\d{1,2}月\d{1,2}日 ?)?\d{2}:\d{2}(:\d{2})?$/.test(v),
  phrase: (v) => /^\p{Script=Han}{1,5}$/u.test(v),
};
const OPENID = /^[A-Za-z0-9_-]{28}$/;

interface IssuedToken {
  version: number;
  expiresAt: number;
  /** Replaced by a newer token: still valid until this (WeChat's overlap after a new fetch). */
  replacedUntil?: number;
}

/**
 * A local stand-in for the WeChat Official Account server API and its event pushes, written from WeChat's
 * documentation (node:http on 127.0.0.1:0):
 * - GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=…: a new access_token and expires_in;
 *   the one before stays valid for `overlapMs` (WeChat: 5 minutes), then 40001; an expired one answers 42001.
 * - POST /cgi-bin/message/template/send?access_token=…: JSON with touser (an OpenID of a follower, else 40003 /
 *   43004), template_id (one of the account's templates, else 40037), and data with every keyword of that
 *   template as { value } within its kind's limits (else 47003 naming the field). Answers errcode 0 and a msgid
 *   (64-bit, beyond JavaScript's safe integers), then pushes TEMPLATESENDJOBFINISH to `callbackUrl`, signed like
 *   WeChat signs (SHA-1 over the sorted token, timestamp and nonce), retrying a non-200 three times as WeChat does.
 * Answers can be scripted per recipient; every request is recorded.
 */
export class WeChatContractServer extends LocalHttpServer {
  readonly appId = `wx${randomBytes(8).toString('hex')}`;
  readonly appSecret = randomBytes(16).toString('hex');
  readonly token = `Tok${randomBytes(8).toString('hex')}`;
  /** What the next tokens are issued with. */
  expiresInSeconds = 7200;
  overlapMs = 5 * 60_000;
  /** Where pushes go (the service's /webhooks/wechat); none: no pushes. */
  callbackUrl: string | undefined;
  /** Status pushed after a send, per OpenID (default "success"); null: nothing pushed. */
  readonly pushStatus = new Map<string, string | null>();
  readonly tokenRequests: { appid: string | null; ok: boolean }[] = [];
  readonly sends: RecordedSend[] = [];
  /** Every push made and the service's answers (one per try). */
  readonly pushes: { xml: string; answers: number[] }[] = [];
  readonly followers = new Set<string>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly scripted = new Map<string, WeChatError[]>();
  private readonly tokenScript: WeChatError[] = [];
  private nextMsgId = 2_805_426_530_781_233_153n;
  private inFlightPushes = new Set<Promise<void>>();

  env(): Record<string, string> {
    return { WECHAT_BASE_URL: this.origin, WECHAT_APP_ID: this.appId, WECHAT_APP_SECRET: this.appSecret, WECHAT_TOKEN: this.token };
  }

  /** The next template sends to `openId` are answered with these errors, one each. */
  scriptSend(openId: string, ...errors: WeChatError[]): void {
    this.scripted.set(openId, [...(this.scripted.get(openId) ?? []), ...errors]);
  }

  /** The next token requests are answered with these errors, one each. */
  scriptToken(...errors: WeChatError[]): void {
    this.tokenScript.push(...errors);
  }

  /** Every token issued so far expires now (WeChat's answer to them becomes 42001). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = Date.now() - 1;
  }

  sendsTo(openId: string): RecordedSend[] {
    return this.sends.filter((s) => s.body?.touser === openId);
  }

  /** Waits for the pushes under way (and their retries). */
  async settled(): Promise<void> {
    while (this.inFlightPushes.size > 0) await Promise.all([...this.inFlightPushes]);
  }

  /** POSTs a push to `url` signed with our token (or `signature` as given), as WeChat does. */
  async push(url: string, fields: Record<string, string>, options: { signature?: string; timestamp?: string; nonce?: string } = {}): Promise<{ status: number; body: string }> {
    const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
    const nonce = options.nonce ?? String(randomBytes(5).readUIntBE(0, 5));
    const signature = options.signature ?? sign(this.token, timestamp, nonce);
    const xml = pushXml(fields);
    const query = new URLSearchParams({ signature, timestamp, nonce, openid: fields.FromUserName ?? '' });
    const response = await fetch(`${url}?${query.toString()}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: xml });
    return { status: response.status, body: await response.text() };
  }

  /** A TEMPLATESENDJOBFINISH push for `msgid`, as WeChat sends it when the template job finished. */
  jobFinish(openId: string, msgid: string, status: string, createTime = Math.floor(Date.now() / 1000)): Record<string, string> {
    return { ToUserName: 'gh_7f083739789a', FromUserName: openId, CreateTime: String(createTime), MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH', MsgID: msgid, Status: status };
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const answer = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') return answer(this.issueToken(url.searchParams));
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/template/send') {
      const raw = (await readBody(req)).toString('utf8');
      const { body, push } = this.templateSend(url.searchParams.get('access_token'), raw);
      // WeChat reports the job when it has finished: after the send was answered.
      if (push) res.on('finish', push);
      return answer(body);
    }
    res.writeHead(404).end();
  }

  private issueToken(query: URLSearchParams): unknown {
    const appid = query.get('appid');
    const error =
      query.get('grant_type') !== 'client_credential'
        ? { errcode: 40002, errmsg: 'invalid grant_type' }
        : appid !== this.appId
          ? { errcode: 40013, errmsg: 'invalid appid' }
          : query.get('secret') !== this.appSecret
            ? { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' }
            : this.tokenScript.shift();
    this.tokenRequests.push({ appid, ok: !error });
    if (error) return error;
    const now = Date.now();
    for (const token of this.tokens.values()) token.replacedUntil ??= now + this.overlapMs;
    const accessToken = `${randomBytes(24).toString('base64url')}-${this.tokens.size + 1}`;
    this.tokens.set(accessToken, { version: this.tokens.size + 1, expiresAt: now + this.expiresInSeconds * 1000 });
    return { access_token: accessToken, expires_in: this.expiresInSeconds };
  }

  private templateSend(accessToken: string | null, raw: string): { body: string | WeChatError; push?: () => void } {
    let body: RecordedSend['body'];
    try {
      body = JSON.parse(raw) as RecordedSend['body'];
    } catch {
      body = undefined;
    }
    const result = this.judgeSend(accessToken, body);
    const record: RecordedSend = { accessToken, body, errcode: result.errcode };
    this.sends.push(record);
    if (result.errcode !== 0) return { body: result };
    const msgid = String(this.nextMsgId++);
    record.msgid = msgid;
    const openId = body?.touser as string;
    const status = this.pushStatus.has(openId) ? this.pushStatus.get(openId) : 'success';
    const callbackUrl = this.callbackUrl;
    // Written by hand: the msgid is a 64-bit number WeChat writes as digits, past 2^53.
    return {
      body: `{"errcode":0,"errmsg":"ok","msgid":${msgid}}`,
      ...(status && callbackUrl ? { push: () => this.pushWithRetries(callbackUrl, this.jobFinish(openId, msgid, status)) } : {}),
    };
  }

  private judgeSend(accessToken: string | null, body: RecordedSend['body']): WeChatError {
    const token = accessToken ? this.tokens.get(accessToken) : undefined;
    const now = Date.now();
    if (!token || (token.replacedUntil !== undefined && token.replacedUntil < now)) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (token.expiresAt < now) return { errcode: 42001, errmsg: 'access_token expired' };
    if (!body || typeof body !== 'object') return { errcode: 47001, errmsg: 'data format error' };
    const { touser, template_id: templateId, data } = body;
    if (typeof touser !== 'string' || !OPENID.test(touser)) return { errcode: 40003, errmsg: 'invalid openid' };
    const scripted = this.scripted.get(touser)?.shift();
    if (scripted) return scripted;
    if (!this.followers.has(touser)) return { errcode: 43004, errmsg: 'require subscribe' };
    const template = ACCOUNT_TEMPLATES.find((t) => t.template_id === templateId);
    if (!template) return { errcode: 40037, errmsg: 'invalid template_id' };
    if (typeof data !== 'object' || data === null) return { errcode: 47003, errmsg: 'argument invalid! data is empty' };
    for (const keyword of templateKeywords(template)) {
      const value = data[keyword]?.value;
      if (typeof value !== 'string' || value === '') return { errcode: 47003, errmsg: `argument invalid! data.${keyword}.value is empty` };
      const kind = /^([a-z_]+?)\d+$/.exec(keyword)?.[1] ?? '';
      if (!(KIND_RULES[kind] ?? (() => false))(value) || /[\r\n]/.test(value)) return { errcode: 47003, errmsg: `argument invalid! data.${keyword}.value invalid` };
    }
    return { errcode: 0, errmsg: 'ok' };
  }

  /** Between a push and its retry (WeChat waits about five seconds for an answer; shorter here to keep tests quick). */
  retryDelayMs = 1_000;

  /** WeChat pushes and, without a 200 answer, tries again: three more times. */
  private pushWithRetries(url: string, fields: Record<string, string>): void {
    const record = { xml: pushXml(fields), answers: [] as number[] };
    this.pushes.push(record);
    const run = (async () => {
      for (let attempt = 0; attempt < 4; attempt++) {
        if (attempt > 0) await this.delay(this.retryDelayMs);
        try {
          const { status } = await this.push(url, fields);
          record.answers.push(status);
          if (status === 200) return;
        } catch {
          record.answers.push(0);
        }
      }
    })();
    this.inFlightPushes.add(run);
    void run.finally(() => this.inFlightPushes.delete(run));
  }
}

export function sign(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

/** The XML of a push, every value in CDATA but the numbers, as WeChat's examples write it. */
export function pushXml(fields: Record<string, string>): string {
  const element = ([name, value]: [string, string]) => (/^(CreateTime|MsgID|MsgId)$/.test(name) ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`);
  return `<xml>${Object.entries(fields).map(element).join('')}</xml>`;
}
