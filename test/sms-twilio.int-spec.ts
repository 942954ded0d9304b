import { createServer } from 'node:net';
import { TwilioSmsAdapter } from '../src/channels/twilio/twilio-sms.adapter';
import type { OutboundMessage } from '../src/channels/channel-adapter';
import { loadConfig } from '../src/config/app-config';
import { TwilioContractServer } from './support/twilio-contract-server';

const PUBLIC_BASE_URL = 'https://notify.example.test';

function sms(text: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    notificationId: '5f0c6f0e-2f4b-4c7e-9a51-0d6f3c1e7a01',
    type: 'gate-change',
    channel: 'sms',
    recipient: '+31612345678',
    locale: 'en',
    content: { locale: 'en', text },
    context: { type: 'gate-change', locale: 'en', passenger: { givenName: 'Luc', surname: 'Desmarais' }, booking: { reference: 'SMS001' } },
    attachments: [],
    correlationId: '/flight-operations#e1',
    ...overrides,
  };
}

describe('TwilioSmsAdapter against a Twilio Messages API contract server', () => {
  let twilio: TwilioContractServer;
  const adapter = (env: Record<string, string> = {}) =>
    new TwilioSmsAdapter(
      loadConfig({
        CHANNEL_SMS: 'twilio',
        ...twilio.env(PUBLIC_BASE_URL),
        SMS_RATE_PER_SECOND: '12',
        ...env,
      }),
    );

  beforeAll(async () => {
    twilio = await new TwilioContractServer().start();
  });
  afterAll(async () => {
    await twilio?.close();
  });

  it('posts the form Twilio expects with basic auth and returns the sid as an accepted message', async () => {
    const result = await adapter().send(sms('KL1234 now departs from gate D9.'));
    const request = twilio.requests.at(-1);
    expect(request).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`,
      contentType: 'application/x-www-form-urlencoded',
      authorization: { user: twilio.accountSid, password: twilio.authToken },
      form: {
        To: '+31612345678',
        From: '+3197010200300',
        Body: 'KL1234 now departs from gate D9.',
        // Our notification id rides in the URL Twilio signs, for a report about a send in doubt (decision 0050).
        StatusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/status?notification=5f0c6f0e-2f4b-4c7e-9a51-0d6f3c1e7a01`,
      },
    });
    expect(result).toEqual({
      outcome: 'accepted',
      providerMessageId: request?.sid,
      segments: 1,
      detail: { encoding: 'GSM-7', twilioStatus: 'queued', twilioSegments: 1 },
    });
    expect(request?.sid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('takes its send rate from SMS_RATE_PER_SECOND', () => {
    expect(adapter().ratePerSecond).toBe(12);
    expect(adapter().name).toBe('twilio');
  });

  it('counts the segments of long texts: GSM-7 with extension characters, and UCS-2', async () => {
    const gsm = await adapter().send(sms(`Your flight KL1234 is delayed. ${'Fare difference € 0. '.repeat(12)}`));
    expect(gsm).toMatchObject({ outcome: 'accepted', segments: 2, detail: { encoding: 'GSM-7', twilioSegments: 2 } });
    const ucs = await adapter().send(sms(`✈️ Gate wijziging: KL1234 vertrekt nu van D9. ${'🧳'.repeat(20)}`));
    expect(ucs).toMatchObject({ outcome: 'accepted', segments: 2, detail: { encoding: 'UCS-2' } });
  });

  it('sends through a Messaging Service when TWILIO_FROM is an MG… sid', async () => {
    const service = `MG${'a'.repeat(32)}`;
    await adapter({ TWILIO_FROM: service }).send(sms('Boarding has started.'));
    expect(twilio.requests.at(-1)?.form).toMatchObject({ MessagingServiceSid: service });
    expect(twilio.requests.at(-1)?.form.From).toBeUndefined();
  });

  it("fails for good on an invalid 'To' (21211), masking the number Twilio quotes", async () => {
    const result = await adapter().send(sms('hello', { recipient: '+0612345678' }));
    expect(result).toMatchObject({ outcome: 'permanent', code: '21211' });
    expect(JSON.stringify(result)).not.toContain('+0612345678');
  });

  it.each([
    [21610, 'Attempt to send to unsubscribed recipient'],
    [21614, "'To' number is not a valid mobile number"],
    [21408, 'Permission to send an SMS has not been enabled for the region'],
  ])('fails for good on %s', async (code, message) => {
    twilio.answerNext({ status: 400, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 } });
    expect(await adapter().send(sms('hello'))).toMatchObject({ outcome: 'permanent', code: String(code) });
  });

  it('pauses the channel when Twilio refuses the credentials (20003)', async () => {
    const result = await adapter({ TWILIO_AUTH_TOKEN: 'not-the-token' }).send(sms('hello'));
    expect(result).toMatchObject({ outcome: 'paused', code: '20003' });
    expect(twilio.requests.at(-1)?.authorization?.password).toBe('not-the-token');
  });

  it('retries after the Retry-After delay when rate limited (429 / 20429)', async () => {
    twilio.answerNext({ status: 429, headers: { 'Retry-After': '2' }, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
    expect(await adapter().send(sms('hello'))).toMatchObject({ outcome: 'retryable', code: '20429', retryAfterMs: 2000 });
  });

  it('retries a 5xx answer, even one without a JSON body', async () => {
    twilio.answerNext({ status: 503, body: '<html>Service Unavailable</html>' });
    expect(await adapter().send(sms('hello'))).toMatchObject({ outcome: 'retryable', code: 'http-503' });
  });

  it('retries when Twilio does not answer within PROVIDER_TIMEOUT_MS', async () => {
    twilio.answerNext({ delayMs: 1500 });
    const started = Date.now();
    expect(await adapter({ PROVIDER_TIMEOUT_MS: '200' }).send(sms('hello'))).toMatchObject({ outcome: 'retryable', code: 'timeout', mayHaveSent: true });
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('retries when the connection drops or is refused', async () => {
    twilio.answerNext({ hangUp: true });
    // Cut off after the request went out: Twilio may have the message (the in-doubt lookup will tell).
    expect(await adapter().send(sms('hello'))).toMatchObject({ outcome: 'retryable', code: 'network-error', mayHaveSent: true });
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const refused = await adapter({ TWILIO_BASE_URL: `http://127.0.0.1:${closedPort}` }).send(sms('hello'));
    expect(refused).toMatchObject({ outcome: 'retryable', code: 'network-error', message: expect.stringContaining('ECONNREFUSED') });
    expect(refused).not.toHaveProperty('mayHaveSent'); // nothing reached Twilio: an ordinary retry
  });

  describe('findSent: the Messages list, for a send in doubt', () => {
    const phone = '+31687654321';
    it('finds the message with this text sent to this number since the attempt, and only that one', async () => {
      const since = new Date();
      const sent = await adapter().send(sms('Gate D9 for KL1234.', { recipient: phone }));
      await adapter().send(sms('Another text entirely.', { recipient: phone }));
      expect(sent.outcome).toBe('accepted');
      const found = await adapter().findSent(sms('Gate D9 for KL1234.', { recipient: phone }), since);
      expect(found).toEqual({ found: true, providerMessageId: sent.outcome === 'accepted' ? sent.providerMessageId : '', detail: { twilioStatus: 'sent', dateSent: expect.any(String) } });
      const lookup = twilio.requests.at(-1);
      expect(lookup).toMatchObject({ method: 'GET', authorization: { user: twilio.accountSid, password: twilio.authToken } });
      expect(lookup?.form).toMatchObject({ To: phone, From: '+3197010200300', PageSize: '1000', 'DateSent>': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    });

    it('finds nothing for a text never sent, or one sent to the number before the attempt', async () => {
      expect(await adapter().findSent(sms('Never sent.', { recipient: phone }), new Date())).toEqual({ found: false });
      await adapter().send(sms('Sent long before.', { recipient: phone }));
      const later = new Date(Date.now() + 10 * 60_000);
      expect(await adapter().findSent(sms('Sent long before.', { recipient: phone }), later)).toEqual({ found: false });
    });

    it('cannot tell when Twilio cannot be asked', async () => {
      expect(await adapter({ TWILIO_AUTH_TOKEN: 'wrong' }).findSent(sms('x', { recipient: phone }), new Date())).toMatchObject({ found: 'unknown' });
      expect(await adapter({ TWILIO_BASE_URL: 'http://127.0.0.1:1' }).findSent(sms('x', { recipient: phone }), new Date())).toMatchObject({ found: 'unknown' });
    });
  });

  it('pauses rather than sends when the credentials are not configured, and refuses an empty text', async () => {
    const unconfigured = new TwilioSmsAdapter(loadConfig({ TWILIO_BASE_URL: twilio.baseUrl }));
    expect(await unconfigured.send(sms('hello'))).toMatchObject({ outcome: 'paused', code: 'twilio-not-configured' });
    expect(await adapter().send(sms('  '))).toMatchObject({ outcome: 'permanent', code: 'empty-body' });
  });
});
