import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WhatsAppContractServer } from '../../../test/support/whatsapp-contract-server';
import { extractWebhookPayloadSchema, webhookExamples, WhatsAppRequestValidator } from '../../../test/support/whatsapp-openapi';
import shipped from './whatsapp-webhook.schema.json';
import { templateMessage, textMessage } from './whatsapp-messages';
import { parseWebhookPayload } from './whatsapp-webhook-payload';

/** The requests we build, and the webhooks we accept, held against Meta's OpenAPI document. */
describe('WhatsApp Cloud API OpenAPI contract', () => {
  const validator = new WhatsAppRequestValidator();
  const sendMessage = validator.findOperation('POST', '/v23.0/106540352242922/messages');
  const upload = validator.findOperation('POST', '/v23.0/106540352242922/media');
  const check = (body: unknown) => validator.validate(sendMessage as NonNullable<typeof sendMessage>, 'application/json', body);

  it('finds operations by path template, preferring literal segments', () => {
    expect(sendMessage?.operationId).toBe('sendMessage');
    expect(upload?.operationId).toBe('uploadImage');
    expect(validator.findOperation('POST', '/v23.0/106540352242922/unknown_edge')).toBeUndefined();
  });

  it('accepts the text and template messages the adapter builds', () => {
    expect(check(textMessage('+31612345678', 'Hello'))).toEqual([]);
    expect(
      check(
        templateMessage('+31612345678', {
          name: 'boarding_pass_v1',
          language: 'en_GB',
          bodyParameters: ['Luc', 'KL1234'],
          document: { id: '4490709327384033', filename: 'boarding-pass.pdf' },
        }),
      ),
    ).toEqual([]);
  });

  it('rejects what Meta would reject', () => {
    const template = templateMessage('+31612345678', { name: 'gate_change_v1', language: 'en_GB', bodyParameters: ['Luc'] });
    expect(check({ ...textMessage('+31612345678', 'Hi'), colour: 'red' })).not.toEqual([]); // unknown field
    expect(check({ ...textMessage('+31612345678', 'Hi'), recipient_type: undefined })).not.toEqual([]);
    expect(check({ ...template, template: { ...template.template, language: { code: 'en_GB' } } })).not.toEqual([]); // policy
    expect(check({ ...template, template: { ...template.template, components: [{ type: 'body', parameters: [{ type: 'text' }] }] } })).not.toEqual([]);
    expect(check({ ...template, template: { ...template.template, components: [{ type: 'header', parameters: [] }] } })).not.toEqual([]);
    expect(
      check({ ...template, template: { ...template.template, components: [{ type: 'header', parameters: [{ type: 'document', document: {} }] }] } }),
    ).not.toEqual([]);
    expect(check({ ...template, type: 'teleport' })).not.toEqual([]);
  });

  it('records a non-conforming request as a contract violation and answers it with a Graph API error', async () => {
    const server = await new WhatsAppContractServer().start();
    try {
      const response = await fetch(`${server.baseUrl}/v23.0/${server.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '+31612345678', type: 'text', text: { body: 'no recipient_type' } }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 100, type: 'OAuthException' } });
      expect(server.violations).toHaveLength(1);
      expect(server.violations[0].problems.join()).toContain('recipient_type');
    } finally {
      await server.close();
    }
  });

  describe('webhook payload schema', () => {
    it('is the one generated from the spec (UPDATE_WHATSAPP_WEBHOOK_SCHEMA=1 regenerates it)', () => {
      const fresh = extractWebhookPayloadSchema();
      if (process.env.UPDATE_WHATSAPP_WEBHOOK_SCHEMA === '1') {
        writeFileSync(join(__dirname, 'whatsapp-webhook.schema.json'), `${JSON.stringify(fresh, null, 2)}\n`);
      }
      expect(shipped).toEqual(fresh);
    });

    it('accepts every example of the spec for the messages field', () => {
      const examples = Object.entries(webhookExamples()).filter(([name]) => !name.startsWith('Group'));
      expect(examples.length).toBeGreaterThanOrEqual(13);
      for (const [name, example] of examples) {
        const parsed = parseWebhookPayload(Buffer.from(JSON.stringify(example)));
        expect({ name, ok: parsed.ok, problem: parsed.ok ? undefined : parsed.problem }).toEqual({ name, ok: true, problem: undefined });
      }
    });

    it('accepts status webhooks and value-level errors, and rejects what is not the webhook shape', () => {
      const server = new WhatsAppContractServer();
      const ok = (payload: unknown) => parseWebhookPayload(Buffer.from(JSON.stringify(payload))).ok;
      const failed = server.statusPayload({
        wamid: 'wamid.X',
        status: 'failed',
        recipient: '+31612345678',
        errors: [{ code: 131026, title: 'Message undeliverable' }],
      });
      expect(ok(failed)).toBe(true);
      expect(ok(server.statusPayload({ wamid: 'wamid.X', status: 'delivered', recipient: '+31612345678' }))).toBe(true);
      expect(ok(server.inboundTextPayload({ from: '31612345678', body: 'STOP' }))).toBe(true);
      const errorsOnly = {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '1', phone_number_id: '2' },
                  errors: [{ code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', error_data: { details: 'too many' } }],
                },
              },
            ],
          },
        ],
      };
      expect(ok(errorsOnly)).toBe(true);

      const status = (changes: Record<string, unknown>) => {
        const payload = server.statusPayload({ wamid: 'wamid.X', status: 'read', recipient: '+31612345678' }) as {
          entry: { changes: { value: { statuses: Record<string, unknown>[] } }[] }[];
        };
        Object.assign(payload.entry[0].changes[0].value.statuses[0], changes);
        return payload;
      };
      expect(ok(status({ status: 'seen' }))).toBe(false);
      expect(ok(status({ id: undefined }))).toBe(false);
      expect(ok(status({ timestamp: 1750857384 }))).toBe(false);
      expect(ok({ object: 'whatsapp_business_account' })).toBe(false);
      expect(ok({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {} }] }] })).toBe(false);
      const text = server.inboundTextPayload({ from: '31612345678', body: 'hi' }) as {
        entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[];
      };
      delete text.entry[0].changes[0].value.messages[0].text;
      expect(ok(text)).toBe(false);
      expect(parseWebhookPayload(Buffer.from('{"object":'))).toMatchObject({ ok: false, problem: expect.stringContaining('not JSON') });
    });
  });
});
