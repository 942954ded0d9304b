import { Logger } from '@nestjs/common';
import { graphError, WhatsAppContractServer } from '../../../test/support/whatsapp-contract-server';
import { loadConfig } from '../../config/app-config';
import { projectPath } from '../../config/config.module';
import type { RenderContext } from '../../vocabulary/render-context';
import type { Attachment, OutboundMessage } from '../channel-adapter';
import { ConversationWindows, TEMPLATE_PAUSE_RECHECK_MS, TemplatePauses, WhatsAppCloudAdapter } from './whatsapp-cloud.adapter';
import type { TemplatePause } from './whatsapp-template-pause.repository';
import { sampleFlight, sampleRenderContext } from '../../rendering/render-context.sample';
import type { WhatsAppTemplateContent } from '../../rendering/rendered-content';
import { createTemplateRenderer } from '../../rendering/template-renderer.service';
import { whatsappLanguage } from '../../rendering/whatsapp-template-rules';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const gateChangeContext: RenderContext = sampleRenderContext({
  type: 'gate-change',
  locale: 'en',
  flight: sampleFlight({ departureGate: 'D9', departureTerminal: '2' }),
  previous: { departureGate: 'D7' },
});

const boardingPassContext: RenderContext = sampleRenderContext({
  type: 'boarding-pass',
  flight: sampleFlight({ departureGate: 'D7' }),
  checkin: { seat: '12A', sequenceNumber: 42, compartment: 'Y' },
});

/** The real renderer and catalogs: the adapter is fed what the dispatcher would feed it. */
const renderer = createTemplateRenderer({ templatesDir: projectPath('templates'), catalogsDir: projectPath('catalogs'), smsSegmentBudget: loadConfig({}).SMS_SEGMENT_BUDGET, wechatTemplatesFile: projectPath(loadConfig({}).WECHAT_TEMPLATES_FILE) });

function message(options: { context?: RenderContext; locale?: string; attachments?: Attachment[] } = {}): OutboundMessage {
  const locale = options.locale ?? options.context?.locale ?? 'en';
  const context = { ...(options.context ?? gateChangeContext), locale };
  return {
    notificationId: '0b9d3c2e-8f3a-4e0b-9a55-6a1f2b3c4d5e',
    type: context.type,
    channel: 'whatsapp',
    recipient: '+31612345678',
    locale,
    content: renderer.render(context.type, 'whatsapp', locale, context),
    context,
    attachments: options.attachments ?? [],
    correlationId: '/flight-operations#e1',
  };
}

function templateOf(m: OutboundMessage): WhatsAppTemplateContent {
  const template = m.content.whatsappTemplate;
  if (!template) throw new Error('the renderer made no WhatsApp template form');
  return template;
}

const bodyOf = (template: WhatsAppTemplateContent) => ({ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) });

describe('WhatsAppCloudAdapter against the Cloud API contract server', () => {
  let server: WhatsAppContractServer;
  const open = new Set<string>();
  const windows: ConversationWindows = { isOpen: async (_channel, contact) => open.has(contact), askForBatch: async () => undefined };
  let paused: TemplatePause[] = [];
  const noPauses: TemplatePauses = { pauseOf: async (name, language) => paused.find((p) => p.name === name && p.language === language) };

  // The product's default provider timeout (10 s): the contract server compiles Meta's schema of an operation on
  // its first request (≈ 80 ms on a quiet machine, several times that on a busy one), so a short timeout here
  // would make any first send a "timeout". Only the timeout test shortens it, against a server that never answers.
  const adapter = (env: Record<string, string> = {}) => {
    const config = loadConfig({ CHANNEL_WHATSAPP: 'whatsapp-cloud', ...server.env(), ...env });
    return new WhatsAppCloudAdapter(config, windows, noPauses);
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    renderer.load();
    server = await new WhatsAppContractServer().start();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    // Every request the adapter made must have conformed to Meta's OpenAPI spec.
    expect(server.violations).toEqual([]);
    open.clear();
    paused = [];
  });

  it('does not send a template Meta took out of use: a paused one waits, a disabled one fails', async () => {
    const pausedAt = new Date('2026-11-30T06:00:00Z');
    const { name, language } = templateOf(message());
    const before = server.requests.length;
    paused = [{ name, language, event: 'PAUSED', reason: 'NONE', pausedAt }];
    expect(await adapter().send(message())).toEqual({
      outcome: 'deferred',
      code: 'template-paused',
      reason: `template ${name} (${language}) is PAUSED by Meta since 2026-11-30T06:00:00.000Z (NONE)`,
      retryAfterMs: TEMPLATE_PAUSE_RECHECK_MS,
    });
    paused = [{ name, language, event: 'DISABLED', reason: null, pausedAt }];
    expect(await adapter().send(message())).toMatchObject({ outcome: 'permanent', code: 'template-disabled' });
    expect(server.requests.length).toBe(before);
    // Another language of the same template is still in use; so is free-form text inside the window.
    const otherLanguage = language === 'nl' ? 'de' : 'nl';
    paused = [{ name, language: otherLanguage, event: 'DISABLED', reason: null, pausedAt }];
    expect(await adapter().send(message())).toMatchObject({ outcome: 'accepted' });
    paused = [{ name, language, event: 'DISABLED', reason: null, pausedAt }];
    open.add('+31612345678');
    expect(await adapter().send(message())).toMatchObject({ outcome: 'accepted', detail: { kind: 'text' } });
  });

  it('sends the rendered template form outside the 24-hour window and returns the wamid as accepted', async () => {
    const a = adapter();
    expect(a.name).toBe('whatsapp-cloud');
    expect(a.ratePerSecond).toBe(80);
    expect(a.pairIntervalMs).toBe(6_000);
    const sent = message();
    const template = templateOf(sent);
    // The gate change's facts travel as parameters: the new gate and the one it replaces.
    expect(template.parameters).toEqual(expect.arrayContaining(['D9', 'D7']));
    const result = await a.send(sent);
    const request = server.requests.at(-1);
    expect(request).toMatchObject({
      method: 'POST',
      path: `/v23.0/${server.phoneNumberId}/messages`,
      operationId: 'sendMessage',
      authorization: `Bearer ${server.accessToken}`,
      type: 'template',
      status: 200,
    });
    expect(request?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+31612345678',
      // Echoed in this message's status webhooks: a status settles the notification even without its wamid.
      biz_opaque_callback_data: '0b9d3c2e-8f3a-4e0b-9a55-6a1f2b3c4d5e',
      type: 'template',
      template: {
        name: template.name,
        language: { policy: 'deterministic', code: template.language },
        components: [bodyOf(template)],
      },
    });
    expect(result).toEqual({
      outcome: 'accepted',
      providerMessageId: request?.wamid,
      detail: { kind: 'template', template: template.name, language: template.language, messageStatus: 'accepted' },
    });
  });

  it.each(['nl-NL', 'de-DE', 'pt-PT', 'sv-SE'])('sends the template in the language the message was rendered in (%s)', async (locale) => {
    const sent = message({ locale });
    const catalogLocale = renderer.messageCatalogs().catalogLocale(locale);
    expect(templateOf(sent).language).toBe(whatsappLanguage(catalogLocale));
    await adapter().send(sent);
    expect(server.requests.at(-1)?.body).toMatchObject({
      template: { name: templateOf(sent).name, language: { code: whatsappLanguage(catalogLocale) }, components: [bodyOf(templateOf(sent))] },
    });
  });

  it('sends the rendered text as a free-form message inside the window', async () => {
    open.add('+31612345678');
    const sent = message();
    const result = await adapter().send(sent);
    expect(sent.content.text).toContain('D9');
    expect(server.requests.at(-1)?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+31612345678',
      biz_opaque_callback_data: '0b9d3c2e-8f3a-4e0b-9a55-6a1f2b3c4d5e',
      type: 'text',
      text: { body: sent.content.text, preview_url: false },
    });
    expect(result).toMatchObject({ outcome: 'accepted', detail: { kind: 'text' } });
    // What the passenger got is the text, without the template form it did not travel as.
    expect(result).toMatchObject({ carried: { locale: sent.content.locale, text: sent.content.text } });
    expect(result).not.toHaveProperty('carried.whatsappTemplate');
  });

  it('falls back to the template when Meta says the window had closed (131047)', async () => {
    open.add('+31612345678');
    server.scriptMessages('+31612345678', graphError(131047, 'Re-engagement message', { details: 'More than 24 hours have passed' }));
    const result = await adapter().send(message());
    expect(server.messagesTo('+31612345678').slice(-2).map((r) => r.type)).toEqual(['text', 'template']);
    expect(result).toMatchObject({ outcome: 'accepted', detail: { kind: 'template' } });
  });

  it('uploads the boarding-pass PDF first and sends the template with a document header', async () => {
    const pdf = { name: 'boarding-pass-KL1234-12A.pdf', contentType: 'application/pdf', content: PDF };
    const png = { name: 'boarding-pass-qr.png', contentType: 'image/png', content: Buffer.from('png') };
    open.add('+31612345678'); // a PDF always goes as the template, window or not
    const sent = message({ context: boardingPassContext, locale: 'nl-NL', attachments: [png, pdf] });
    const template = templateOf(sent);
    expect(template.header).toBe('document');
    expect(template.parameters).toEqual(expect.arrayContaining(['Luc', 'KL1234', '12A', 'D7']));
    const result = await adapter().send(sent);
    const [upload, send] = server.requests.slice(-2);
    expect(upload).toMatchObject({ path: `/v23.0/${server.phoneNumberId}/media`, operationId: 'uploadImage', status: 200 });
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body).toMatchObject({
      messaging_product: 'whatsapp',
      type: 'application/pdf',
      file: { filename: 'boarding-pass-KL1234-12A.pdf', contentType: 'application/pdf', bytes: PDF.length },
    });
    const media = server.media.get(upload.mediaId as string);
    expect(media?.bytes.equals(PDF)).toBe(true);
    expect(send.body).toMatchObject({
      type: 'template',
      template: {
        name: template.name,
        language: { policy: 'deterministic', code: template.language },
        components: [
          { type: 'header', parameters: [{ type: 'document', document: { id: upload.mediaId, filename: 'boarding-pass-KL1234-12A.pdf' } }] },
          bodyOf(template),
        ],
      },
    });
    expect(result).toMatchObject({ outcome: 'accepted', providerMessageId: send.wamid });
  });

  it('fails a boarding pass without its PDF permanently, and judges a failed upload like a failed send', async () => {
    expect(await adapter().send(message({ context: boardingPassContext }))).toMatchObject({
      outcome: 'permanent',
      code: 'missing-attachment',
    });
    const pdf = { name: 'bp.pdf', contentType: 'application/pdf', content: PDF };
    server.scriptUploads({ status: 503, body: { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2 } } });
    const before = server.requests.length;
    expect(await adapter().send(message({ context: boardingPassContext, attachments: [pdf] }))).toMatchObject({
      outcome: 'retryable',
      code: '2',
    });
    expect(server.requests.slice(before).map((r) => r.operationId)).toEqual(['uploadImage']); // no message without its PDF
  });

  it.each([
    ['131026 undeliverable', graphError(131026, 'Message undeliverable'), { outcome: 'permanent', code: '131026' }],
    ['131047 re-engagement', graphError(131047, 'Re-engagement message'), { outcome: 'permanent', code: '131047' }],
    ['368 policy', graphError(368, 'Temporarily blocked for policies violations'), { outcome: 'permanent', code: '368' }],
    ['100 invalid recipient', graphError(100, 'Invalid parameter', { subcode: 2494010, details: 'Recipient phone number not valid' }), { outcome: 'permanent', code: '100' }],
    ['131000 generic', graphError(131000, 'Something went wrong', { status: 500 }), { outcome: 'retryable', code: '131000' }],
    ['130429 rate limit', graphError(130429, 'Rate limit hit', { status: 429 }), { outcome: 'retryable', code: '130429' }],
    ['131049 ecosystem', graphError(131049, 'This message was not delivered to maintain healthy ecosystem engagement.'), { outcome: 'retryable', code: '131049', giveUpAfterAttempts: 3 }],
    ['131056 pair rate', graphError(131056, '(Business Account, Consumer Account) pair rate limit hit'), { outcome: 'deferred', retryAfterMs: 6_000 }],
    ['HTTP 500', { status: 500, body: 'Internal Server Error' }, { outcome: 'retryable', code: 'http-500' }],
    ['HTTP 429 with Retry-After', { status: 429, body: {}, headers: { 'Retry-After': '30' } }, { outcome: 'retryable', code: 'http-429', retryAfterMs: 30_000 }],
    ['190 expired token', graphError(190, 'Error validating access token: Session has expired', { status: 401 }), { outcome: 'paused', code: '190' }],
    ['a dropped connection', { drop: true as const }, { outcome: 'retryable', code: 'network' }],
  ])('classifies %s', async (_name, response, expected) => {
    server.scriptMessages('+31612345678', response);
    const result = await adapter().send(message());
    expect(result).toMatchObject(expected);
    if ('message' in result) expect(result.message).not.toContain('+31612345678');
  });

  it('keeps the provider text in the result', async () => {
    server.scriptMessages('+31612345678', graphError(131026, 'Message undeliverable', { details: 'Receiver is incapable of receiving this message' }));
    expect(await adapter().send(message())).toMatchObject({
      outcome: 'permanent',
      code: '131026',
      message: expect.stringContaining('Receiver is incapable of receiving this message'),
    });
  });

  it('retries a provider that does not answer within PROVIDER_TIMEOUT_MS, saying it may have the message', async () => {
    server.scriptMessages('+31612345678', { hang: true });
    expect(await adapter({ PROVIDER_TIMEOUT_MS: '200' }).send(message())).toMatchObject({
      outcome: 'retryable',
      code: 'timeout',
      mayHaveSent: true,
      // The configured timeout fired, not the 10 s default: the message names it (no clock is read here).
      message: 'WhatsApp did not answer within 200 ms',
    });
  });

  it('pauses on a refused token, and when no credentials are configured', async () => {
    expect(await adapter({ WHATSAPP_ACCESS_TOKEN: 'wrong' }).send(message())).toMatchObject({ outcome: 'paused', code: '190' });
    const config = loadConfig({ CHANNEL_WHATSAPP: 'sandbox' });
    const unconfigured = new WhatsAppCloudAdapter(config, windows, noPauses);
    expect(await unconfigured.send(message())).toMatchObject({ outcome: 'paused', code: 'not-configured' });
  });

  it('retries when the provider cannot be reached, knowing nothing was sent', async () => {
    const result = await adapter({ WHATSAPP_BASE_URL: 'http://127.0.0.1:1' }).send(message());
    expect(result).toMatchObject({ outcome: 'retryable', code: 'network' });
    expect(result).not.toHaveProperty('mayHaveSent');
  });

  it('says a dropped connection may have delivered the message to Meta', async () => {
    server.scriptMessages('+31612345678', { drop: true });
    expect(await adapter().send(message())).toMatchObject({ outcome: 'retryable', code: 'network', mayHaveSent: true });
  });

  it('fails permanently, sending nothing, when the message has no template form to send outside the window', async () => {
    const before = server.requests.length;
    const { whatsappTemplate: _dropped, ...textOnly } = message().content;
    expect(await adapter().send({ ...message(), content: textOnly })).toMatchObject({ outcome: 'permanent', code: 'template-error' });
    expect(server.requests.length).toBe(before);
  });
});
