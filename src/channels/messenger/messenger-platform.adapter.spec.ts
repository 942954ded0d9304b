import { Logger } from '@nestjs/common';
import { graphError, MessengerContractServer } from '../../../test/support/messenger-contract-server';
import { loadConfig } from '../../config/app-config';
import type { MessengerTemplateContent } from '../../rendering/rendered-content';
import type { OutboundMessage } from '../channel-adapter';
import { MESSENGER_TEMPLATE_PAUSE_RECHECK_MS, MessengerPlatformAdapter, type ConversationWindows, type SentMessages, type TemplatePauses } from './messenger-platform.adapter';
import type { SentMessage } from './messenger-sent-messages.repository';
import type { MessengerTemplatePause } from './messenger-template-pause.repository';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const TEMPLATE: MessengerTemplateContent = {
  name: 'gate_change__gate__0a1b2c',
  language: 'en_GB',
  body: 'Hi {{1}},\n\nYour flight {{2}} now leaves from gate {{3}}.\n\nHave a good trip.',
  parameters: ['Luc', 'KL1234', 'D9'],
};
const TEXT = 'Hi Luc,\n\nYour flight KL1234 now leaves from gate D9.\n\nHave a good trip.';

function message(psid: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    notificationId: '0b9d3c2e-8f3a-4e0b-9a55-6a1f2b3c4d5e',
    type: 'gate-change',
    channel: 'messenger',
    recipient: psid,
    locale: 'en',
    content: { locale: 'en', text: TEXT, messengerTemplate: TEMPLATE },
    context: { type: 'gate-change', locale: 'en', passenger: { givenName: 'Luc', surname: 'Desmarais' }, booking: { reference: 'X7K2QP' } },
    attachments: [],
    correlationId: '/flight-operations#e1',
    ...overrides,
  };
}

describe('MessengerPlatformAdapter against the Messenger contract server', () => {
  let server: MessengerContractServer;
  const open = new Set<string>();
  const windows: ConversationWindows = { isOpen: async (_channel, contact) => open.has(contact), askForBatch: async () => undefined };
  let paused: MessengerTemplatePause[] = [];
  const pauses: TemplatePauses = { pauseOf: async (name, language) => paused.find((p) => p.name === name && p.language === language) };
  let recorded: SentMessage[] = [];
  const sent: SentMessages = { record: async (rows) => void recorded.push(...rows) };
  const adapter = (env: Record<string, string> = {}) => new MessengerPlatformAdapter(loadConfig({ ...server.env(), ...env }), windows, pauses, sent);

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = await new MessengerContractServer().start();
    server.approve([{ name: TEMPLATE.name, language: TEMPLATE.language, category: 'UTILITY', components: [{ type: 'BODY', text: TEMPLATE.body, example: { body_text: [TEMPLATE.parameters] } }] }]);
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    // Every request the adapter made must have kept to the documented contract.
    expect(server.violations).toEqual([]);
    open.clear();
    paused = [];
    recorded = [];
  });

  it('sends a utility template outside the window, and keeps the send time (before Meta’s) by message id', async () => {
    const psid = server.newPsid();
    const before = Date.now();
    const result = await adapter().send(message(psid));
    const [request] = server.messagesTo(psid);
    expect(request).toMatchObject({ kind: 'template', status: 200, authorized: true });
    expect(request.body).toEqual({
      recipient: { id: psid },
      messaging_type: 'UTILITY',
      message: { template: { name: TEMPLATE.name, language: { code: 'en_GB' }, components: [{ type: 'body', parameters: TEMPLATE.parameters.map((text) => ({ type: 'text', text })) }] } },
    });
    expect(result).toEqual({ outcome: 'accepted', providerMessageId: request.mid, detail: { kind: 'template', template: TEMPLATE.name, language: 'en_GB' } });
    expect(recorded).toEqual([{ messageId: request.mid, notificationId: message(psid).notificationId, psid, sentAt: expect.any(Date) }]);
    expect(recorded[0].sentAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(recorded[0].sentAt.getTime()).toBeLessThanOrEqual(request.at);
  });

  it('sends the text inside the window with the notification id as metadata, and a boarding pass as a file after it', async () => {
    const psid = server.newPsid();
    open.add(psid);
    server.openWindow(psid);
    const pdf = { name: 'boarding-pass.pdf', contentType: 'application/pdf', content: PDF };
    const result = await adapter().send(message(psid, { attachments: [pdf] }));
    const upload = server.requests.find((r) => r.kind === 'upload' && r.status === 200 && server.attachments.get(r.attachmentId ?? '')?.bytes.equals(PDF));
    expect(upload?.body).toMatchObject({ message: { attachment: { type: 'file', payload: { is_reusable: false } } }, filedata: { filename: 'boarding-pass.pdf', contentType: 'application/pdf' } });
    const [text, file] = server.messagesTo(psid);
    expect(text.body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: TEXT, metadata: message(psid).notificationId } });
    expect(file.body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { attachment: { type: 'file', payload: { attachment_id: upload?.attachmentId } } } });
    expect(result).toEqual({ outcome: 'accepted', providerMessageId: text.mid, detail: { kind: 'text', attachment: { name: 'boarding-pass.pdf', messageId: file.mid } } });
    expect(recorded.map((r) => r.messageId)).toEqual([text.mid]);
  });

  it('sends the template instead when Meta says the window had closed (10/2018278)', async () => {
    const psid = server.newPsid();
    open.add(psid); // we think it is open; the contract server knows no message from this person
    const result = await adapter().send(message(psid));
    const kinds = server.messagesTo(psid).map((r) => [r.kind, r.status]);
    expect(kinds).toEqual([['text', 400], ['template', 200]]);
    expect(result).toMatchObject({ outcome: 'accepted', detail: { kind: 'template' } });
  });

  it('leaves the boarding pass behind outside the window, saying so, since a utility template carries no file', async () => {
    const psid = server.newPsid();
    const result = await adapter().send(message(psid, { attachments: [{ name: 'boarding-pass.pdf', contentType: 'application/pdf', content: PDF }] }));
    expect(server.messagesTo(psid).map((r) => r.kind)).toEqual(['template']);
    expect(result).toMatchObject({ outcome: 'accepted', detail: { kind: 'template', attachment: { name: 'boarding-pass.pdf', notSent: expect.stringContaining('24-hour window') } } });
  });

  it.each([
    ['551 unreachable person: permanent', graphError(551, "This person isn't available right now."), { outcome: 'permanent', code: '551' }],
    ['200 permission for this person: permanent', graphError(200, 'Cannot message users who are not admins, developers or testers of the app', { subcode: 2018028 }), { outcome: 'permanent', code: '200/2018028' }],
    ['613 rate limit: retryable', graphError(613, 'Calls to this api have exceeded the rate limit.', { headers: { 'Retry-After': '7' } }), { outcome: 'retryable', code: '613', retryAfterMs: 7000 }],
    ['2 temporary: retryable', graphError(2, 'An unexpected error has occurred. Please retry your request later.', { status: 500 }), { outcome: 'retryable', code: '2' }],
    ['190 token: pauses the channel', graphError(190, 'Error validating access token: Session has expired', { subcode: 463 }), { outcome: 'paused', code: '190/463' }],
  ])('classifies %s', async (_what, response, expected) => {
    const psid = server.newPsid();
    server.scriptMessages(psid, response);
    expect(await adapter().send(message(psid))).toMatchObject(expected);
    expect(recorded).toEqual([]);
  });

  it('puts a send whose answer never came in doubt, but not an upload that timed out', async () => {
    const psid = server.newPsid();
    server.scriptMessages(psid, { hang: true });
    expect(await adapter({ PROVIDER_TIMEOUT_MS: '300' }).send(message(psid))).toMatchObject({ outcome: 'retryable', code: 'timeout', mayHaveSent: true });
    const other = server.newPsid();
    open.add(other);
    server.openWindow(other);
    server.scriptUploads({ hang: true });
    const upload = await adapter({ PROVIDER_TIMEOUT_MS: '300' }).send(message(other, { attachments: [{ name: 'boarding-pass.pdf', contentType: 'application/pdf', content: PDF }] }));
    expect(upload).toMatchObject({ outcome: 'retryable', code: 'timeout' });
    expect(upload).not.toHaveProperty('mayHaveSent');
    expect(server.messagesTo(other)).toEqual([]);
  });

  it('does not send a template Meta took out of use: a paused one waits, a disabled one fails', async () => {
    const pausedAt = new Date('2026-11-30T06:00:00Z');
    paused = [{ name: TEMPLATE.name, language: 'en_GB', event: 'PAUSED', reason: 'low quality', pausedAt }];
    const psid = server.newPsid();
    expect(await adapter().send(message(psid))).toMatchObject({ outcome: 'deferred', code: 'template-paused', retryAfterMs: MESSENGER_TEMPLATE_PAUSE_RECHECK_MS });
    paused = [{ name: TEMPLATE.name, language: 'en_GB', event: 'DISABLED', reason: null, pausedAt }];
    expect(await adapter().send(message(psid))).toMatchObject({ outcome: 'permanent', code: 'template-disabled' });
    expect(server.messagesTo(psid)).toEqual([]);
  });

  it('pauses the channel when it is chosen without a Page or token', async () => {
    const unconfigured = new MessengerPlatformAdapter(loadConfig({}), windows, pauses, sent);
    expect(await unconfigured.send(message('25381719828140932'))).toMatchObject({ outcome: 'paused', code: 'not-configured' });
  });

  it('names the Page as the sender of its rate bucket and spaces messages to one person', () => {
    const a = adapter({ MESSENGER_RATE_PER_SECOND: '40', MESSENGER_PAIR_INTERVAL_MS: '2000' });
    expect([a.name, a.sender, a.ratePerSecond, a.pairIntervalMs, a.inDoubt]).toEqual(['messenger-platform', server.pageId, 40, 2000, 'await-report']);
  });
});
