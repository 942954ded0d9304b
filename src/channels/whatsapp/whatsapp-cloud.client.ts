import { FormData, request } from 'undici';
import { recordHttpExchange } from '../../tracing/spans';
import type { Attachment } from '../channel-adapter';
import { GraphApiError, parseRetryAfter, WhatsAppFailure } from './whatsapp-errors';
import type { MessageRequest, SendMessageResponse } from './whatsapp-messages';

export interface WhatsAppClientOptions {
  baseUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs: number;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: WhatsAppFailure };

export interface SentMessage {
  wamid: string;
  waId?: string;
  messageStatus?: string;
}

/**
 * The two Cloud API calls the adapter makes, each bounded by the provider timeout, over undici's
 * request() on kept-alive connections: Node's fetch costs about twice the CPU per call (web streams,
 * request cloning), and at the provider's 1,000 messages/s that was most of a core (bench profile).
 * Never throws for anything the provider or the network does: every failure comes back as a WhatsAppFailure.
 */
export class WhatsAppCloudClient {
  private readonly root: string;

  constructor(private readonly options: WhatsAppClientOptions) {
    this.root = `${options.baseUrl.replace(/\/+$/, '')}/${options.apiVersion}/${options.phoneNumberId}`;
  }

  /** POST /{version}/{phone-number-id}/messages. */
  async sendMessage(body: MessageRequest, correlationId: string): Promise<ApiResult<SentMessage>> {
    const result = await this.request<SendMessageResponse>('messages', {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      correlationId,
    });
    if (!result.ok) return result;
    const { status, json, text } = result.value;
    const message = json?.messages?.[0];
    if (!message || typeof message.id !== 'string' || message.id === '') {
      return { ok: false, failure: { kind: 'bad-response', status, bodyText: text } };
    }
    return {
      ok: true,
      value: {
        wamid: message.id,
        ...(json?.contacts?.[0]?.wa_id ? { waId: json.contacts[0].wa_id } : {}),
        ...(message.message_status ? { messageStatus: message.message_status } : {}),
      },
    };
  }

  /** POST /{version}/{phone-number-id}/media as multipart form data; returns the media id. */
  async uploadMedia(file: Attachment, correlationId: string): Promise<ApiResult<string>> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', file.contentType);
    form.append('file', new Blob([file.content], { type: file.contentType }), file.name);
    const result = await this.request<{ id?: unknown }>('media', { body: form, correlationId });
    if (!result.ok) return result;
    const id = result.value.json?.id;
    if (typeof id !== 'string' || id === '') {
      return { ok: false, failure: { kind: 'bad-response', status: result.value.status, bodyText: result.value.text } };
    }
    return { ok: true, value: id };
  }

  private async request<T>(
    edge: 'messages' | 'media',
    init: { headers?: Record<string, string>; body: string | FormData; correlationId: string },
  ): Promise<ApiResult<{ status: number; json: T | undefined; text: string }>> {
    const { timeoutMs } = this.options;
    try {
      const response = await request(`${this.root}/${edge}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.options.accessToken}`,
          'X-Correlation-Id': init.correlationId,
          ...init.headers,
        },
        body: init.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.body.text();
      // The message request comes last, after any media upload: its attributes are the ones that stay.
      recordHttpExchange('POST', this.root, response.statusCode);
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
      recordHttpExchange('POST', this.root);
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
function toFailure(error: unknown, timeoutMs: number): WhatsAppFailure {
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return { kind: 'timeout', timeoutMs };
  const cause = err?.code ?? err?.cause?.code ?? err?.cause?.message;
  return { kind: 'network', message: cause ? `${err?.message ?? 'request failed'} (${cause})` : String(err?.message ?? error) };
}
