import { parseMessengerWebhook } from './messenger-webhook-payload';

const parse = (value: unknown) => parseMessengerWebhook(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('parseMessengerWebhook', () => {
  it('reads deliveries, reads, messages, echoes, postbacks and template status changes, keeping unknown fields', () => {
    const parsed = parse({
      object: 'page',
      entry: [
        {
          id: '1909458034523498',
          time: 1458692752478,
          messaging: [
            { sender: { id: '2538' }, recipient: { id: '1909458034523498' }, delivery: { mids: ['m_1'], watermark: 1458668856253 } },
            { sender: { id: '2538' }, recipient: { id: '1909458034523498' }, timestamp: 1458668856463, read: { watermark: 1458668856253 } },
            { sender: { id: '2538' }, recipient: { id: '1909458034523498' }, timestamp: 1, message: { mid: 'm_2', text: 'hi', nlp: {} } },
            { sender: { id: '2538' }, recipient: { id: '1909458034523498' }, timestamp: 1, postback: { title: 'Stop', payload: 'UNSUBSCRIBE' } },
          ],
          changes: [{ field: 'message_template_status_update', value: { event: 'PAUSED', message_template_name: 'x', message_template_language: 'en_GB' } }],
        },
      ],
    });
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ['not JSON', '{', /^not JSON/],
    ['no entry', { object: 'page' }, /must have required property 'entry'/],
    ['a watermark that is not a number', { object: 'page', entry: [{ id: '1', messaging: [{ sender: { id: '2' }, recipient: { id: '1' }, delivery: { watermark: 'soon' } }] }] }, /\/entry\/0\/messaging\/0\/delivery\/watermark must be number/],
    ['a message without its mid', { object: 'page', entry: [{ id: '1', messaging: [{ sender: { id: '2' }, recipient: { id: '1' }, message: { text: 'hi' } }] }] }, /mid/],
    ['a template update without a name', { object: 'page', entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'PAUSED', message_template_language: 'en' } }] }] }, /\/entry\/0\/changes\/0\/value must have required property 'message_template_name'/],
  ])('says what is wrong with %s', (_what, body, problem) => {
    const parsed = parse(body);
    expect(parsed).toMatchObject({ ok: false, problem: expect.stringMatching(problem) });
  });
});
