import { FormData, request } from 'undici';
import { recordHttpExchange } from '../../tracing/spans';
import type { Attachment } from '../channel-adapter';
import { parseRetryAfter } from '../whatsapp/whatsapp-errors';
import type { GraphApiError, MessengerFailure } from './messenger-errors';
import { FILE_UPLOAD_MESSAGE, type SendRequest, type SendResponse } from './messenger-messages';

export interface MessengerClientOptions {
  baseUrl: string;
  apiVersion: string;
  pageId: string;
  pageAccessToken: string;
  timeoutMs: number;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: MessengerFailure };

/** A Page-owned template as GET /{page-id}/message_templates lists it. */
export interface PageTemplate {
  name: string;
  language: string;
  status?: string;
}

/**
 * The Messenger Platform calls the adapter makes — the Send API (POST /{page-id}/messages) and the Attachment
 * Upload API (POST /{page-id}/message_attachments) — and the template export's (GET and POST
 * /{page-id}/message_templates), each bounded by the provider timeout, on
 * undici's request() with kept-alive connections. The Page access token goes as the `access_token` query
 * parameter, as Meta's Messenger examples send it; the URL with it is never logged or traced (only the path
 * without the query is). Never throws for anything Meta or the network does: failures come back as a MessengerFailure.
 */
export class MessengerPlatformClient {
  private readonly root: string;

  constructor(private readonly options: MessengerClientOptions) {
    this.root = `${options.baseUrl.replace(/\/+$/, '')}/${options.apiVersion}/${options.pageId}`;
  }

  /** Sends one message; the value is Meta's message id (mid). */
  async send(body: SendRequest, correlationId: string): Promise<ApiResult<string>> {
    const result = await this.post<SendResponse>('messages', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), correlationId });
    if (!result.ok) return result;
    const id = result.value.json?.message_id;
    if (typeof id !== 'string' || id === '') return { ok: false, failure: { kind: 'bad-response', status: result.value.status, bodyText: result.value.text } };
    return { ok: true, value: id };
  }

  /** Uploads a file (multipart: `message` and `filedata`); the value is its attachment_id. */
  async uploadFile(file: Attachment, correlationId: string): Promise<ApiResult<string>> {
    const form = new FormData();
    form.append('message', FILE_UPLOAD_MESSAGE);
    form.append('filedata', new Blob([file.content], { type: file.contentType }), file.name);
    const result = await this.post<{ attachment_id?: unknown }>('message_attachments', { body: form, correlationId });
    if (!result.ok) return result;
    const id = result.value.json?.attachment_id;
    if (typeof id !== 'string' || id === '') return { ok: false, failure: { kind: 'bad-response', status: result.value.status, bodyText: result.value.text } };
    return { ok: true, value: id };
  }

  /** Creates a Page-owned template (the template export); the value is Meta's answer (id, status, category). */
  async createTemplate(body: unknown, correlationId: string): Promise<ApiResult<Record<string, unknown>>> {
    const result = await this.post<Record<string, unknown>>('message_templates', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), correlationId });
    return result.ok ? { ok: true, value: result.value.json ?? {} } : result;
  }

  /** Every template the Page has, following Meta's paging links. */
  async listTemplates(correlationId: string): Promise<ApiResult<PageTemplate[]>> {
    const found: PageTemplate[] = [];
    let query: Record<string, string> = { fields: 'name,language,status', limit: '1000' };
    for (let page = 0; page < 100; page++) {
      const result = await this.call<{ data?: PageTemplate[]; paging?: { cursors?: { after?: string }; next?: string } }>('GET', 'message_templates', { correlationId, query });
      if (!result.ok) return result;
      found.push(...(result.value.json?.data ?? []));
      const after = result.value.json?.paging?.cursors?.after;
      if (!result.value.json?.paging?.next || !after) return { ok: true, value: found };
      query = { ...query, after };
    }
    return { ok: true, value: found };
  }

  private post<T>(
    edge: 'messages' | 'message_attachments' | 'message_templates',
    init: { headers?: Record<string, string>; body: string | FormData; correlationId: string },
  ): Promise<ApiResult<{ status: number; json: T | undefined; text: string }>> {
    return this.call<T>('POST', edge, init);
  }

  private async call<T>(
    method: 'GET' | 'POST',
    edge: 'messages' | 'message_attachments' | 'message_templates',
    init: { headers?: Record<string, string>; body?: string | FormData; correlationId: string; query?: Record<string, string> },
  ): Promise<ApiResult<{ status: number; json: T | undefined; text: string }>> {
    const { timeoutMs } = this.options;
    const path = `${this.root}/${edge}`;
    const query = new URLSearchParams({ ...init.query, access_token: this.options.pageAccessToken });
    try {
      const response = await request(`${path}?${query.toString()}`, {
        method,
        headers: { 'X-Correlation-Id': init.correlationId, ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.body.text();
      recordHttpExchange(method, path, response.statusCode);
      const json = parseJson<T & { error?: GraphApiError }>(text);
      if (response.statusCode < 200 || response.statusCode > 299) {
        const retryAfter = response.headers['retry-after'];
        const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null));
        return {
          ok: false,
          failure: {
            kind: 'http',
            status: response.statusCode,
            ...(json?.error && typeof json.error === 'object' ? { error: json.error } : {}),
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
            bodyText: text.slice(0, 500),
          },
        };
      }
      return { ok: true, value: { status: response.statusCode, json, text: text.slice(0, 500) } };
    } catch (error) {
      recordHttpExchange(method, path);
      return { ok: false, failure: toFailure(error, timeoutMs) };
    }
  }
}

function parseJson<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The request rejects with the signal's TimeoutError when it fires, and a socket or undici error (with a code) otherwise. */
function toFailure(error: unknown, timeoutMs: number): MessengerFailure {
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return { kind: 'timeout', timeoutMs };
  const cause = err?.code ?? err?.cause?.code ?? err?.cause?.message;
  return { kind: 'network', message: cause ? `${err?.message ?? 'request failed'} (${cause})` : String(err?.message ?? error) };
}
