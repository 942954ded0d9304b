import { isValidWebhookSignature, secretsEqual, webhookSignature } from './whatsapp-signature';
import { toE164 } from './whatsapp-webhook.service';

describe('X-Hub-Signature-256', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

  it('is sha256= and the hex HMAC-SHA256 of the raw body with the app secret', () => {
    expect(webhookSignature(body, 'secret')).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(isValidWebhookSignature(body, webhookSignature(body, 'secret'), 'secret')).toBe(true);
    expect(isValidWebhookSignature(body, webhookSignature(body, 'secret').toUpperCase().replace('SHA256', 'sha256'), 'secret')).toBe(true);
  });

  it('refuses anything else', () => {
    const good = webhookSignature(body, 'secret');
    expect(isValidWebhookSignature(body, webhookSignature(body, 'other'), 'secret')).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(`${body.toString()} `), good, 'secret')).toBe(false);
    expect(isValidWebhookSignature(body, good.slice(7), 'secret')).toBe(false);
    expect(isValidWebhookSignature(body, 'sha1=abc', 'secret')).toBe(false);
    expect(isValidWebhookSignature(body, undefined, 'secret')).toBe(false);
    expect(isValidWebhookSignature(undefined, good, 'secret')).toBe(false);
    expect(isValidWebhookSignature(body, good, undefined)).toBe(false);
  });

  it('compares verify tokens of any length', () => {
    expect(secretsEqual('token', 'token')).toBe(true);
    expect(secretsEqual('token', 'token-longer')).toBe(false);
    expect(secretsEqual(undefined, 'token')).toBe(false);
  });
});

describe('toE164', () => {
  it('adds the + Meta leaves out, and refuses what is no phone number', () => {
    expect(toE164('31612345678')).toBe('+31612345678');
    expect(toE164('+31612345678')).toBe('+31612345678');
    expect(toE164('0612345678')).toBeUndefined();
    expect(toE164('abc')).toBeUndefined();
  });
});
