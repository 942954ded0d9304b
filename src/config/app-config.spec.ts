import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults point at the local servers', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/notifier');
    expect(config.AMQP_URL).toBe('amqp://guest:guest@127.0.0.1:5672');
    expect(config.PORT).toBe(3000);
    expect(config.FIRST_CHANNEL_ONLY_TYPES).toEqual([]);
  });

  it('coerces numbers, booleans and lists', () => {
    const config = loadConfig({
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      FIRST_CHANNEL_ONLY_TYPES: 'flight-delay, gate-change',
    });
    expect(config.PORT).toBe(8080);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.FIRST_CHANNEL_ONLY_TYPES).toEqual(['flight-delay', 'gate-change']);
  });

  it('asks for confirmation of bulk actions above 1,000 unless told otherwise', () => {
    expect(loadConfig({}).BULK_CONFIRM_ABOVE).toBe(1000);
    expect(loadConfig({ BULK_CONFIRM_ABOVE: '0' }).BULK_CONFIRM_ABOVE).toBe(0);
    expect(() => loadConfig({ BULK_CONFIRM_ABOVE: '-1' })).toThrow(/BULK_CONFIRM_ABOVE/);
    expect(() => loadConfig({ BULK_CONFIRM_ABOVE: 'many' })).toThrow(/BULK_CONFIRM_ABOVE/);
  });

  it('fails fast naming every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', FIRST_CHANNEL_ONLY_TYPES: 'flight-delay,nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('FIRST_CHANNEL_ONLY_TYPES');
  });

  it('names the credentials a chosen provider needs', () => {
    expect(() => loadConfig({ CHANNEL_WHATSAPP: 'whatsapp-cloud', WHATSAPP_ACCESS_TOKEN: 't' })).toThrow(
      /WHATSAPP_PHONE_NUMBER_ID: required when CHANNEL_WHATSAPP=whatsapp-cloud/,
    );
    expect(() => loadConfig({ CHANNEL_MESSENGER: 'messenger-platform', MESSENGER_PAGE_ID: '1909458034523498' })).toThrow(
      /MESSENGER_PAGE_ACCESS_TOKEN: required when CHANNEL_MESSENGER=messenger-platform.*MESSENGER_APP_SECRET.*MESSENGER_VERIFY_TOKEN/,
    );
    expect(() => loadConfig({ MESSENGER_PAGE_ID: 'my-page' })).toThrow(/MESSENGER_PAGE_ID/);
    expect(loadConfig({})).toMatchObject({ CHANNEL_MESSENGER: 'sandbox', MESSENGER_API_VERSION: 'v25.0', MESSENGER_RATE_PER_SECOND: 100, MESSENGER_PAIR_INTERVAL_MS: 1000 });
    expect(() => loadConfig({ PARTNER_WEBHOOKS: '[{"name":"crm"}]' })).toThrow(/PARTNER_WEBHOOKS/);
    expect(loadConfig({ PARTNER_WEBHOOKS: '[{"name":"crm","url":"http://127.0.0.1:9/h","secret":"0123456789abcdef"}]' }).PARTNER_WEBHOOKS).toHaveLength(1);
  });

  it('asks push for at least one whole platform, FCM or APNs, and reads the service account as JSON', () => {
    expect(() => loadConfig({ CHANNEL_PUSH: 'fcm-apns' })).toThrow(/CHANNEL_PUSH: fcm-apns needs FCM/);
    expect(() => loadConfig({ CHANNEL_PUSH: 'fcm-apns', APNS_KEY_ID: 'ABC123DEFG' })).toThrow(/APNS_TEAM_ID: required with APNS_KEY_ID/);
    expect(() => loadConfig({ FCM_SERVICE_ACCOUNT: '{"client_email":"x"}' })).toThrow(/FCM_SERVICE_ACCOUNT/);
    const account = { type: 'service_account', client_email: 'notifier@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' };
    const config = loadConfig({ CHANNEL_PUSH: 'fcm-apns', FCM_PROJECT_ID: 'airline-app', FCM_SERVICE_ACCOUNT: JSON.stringify(account) });
    expect(config.FCM_SERVICE_ACCOUNT).toMatchObject(account);
    expect(config.APNS_BASE_URL).toBe('https://api.push.apple.com');
    expect(() => loadConfig({ OPS_API_TOKENS: 'app:app-backend-token-0123456789' })).not.toThrow();
  });

  it('takes Google Wallet as issuer and service account together, or not at all', () => {
    expect(loadConfig({}).GOOGLE_WALLET_ISSUER_ID).toBeUndefined();
    expect(() => loadConfig({ GOOGLE_WALLET_ISSUER_ID: '3388000000022222228' })).toThrow(/GOOGLE_WALLET_SERVICE_ACCOUNT: required with/);
    expect(() => loadConfig({ GOOGLE_WALLET_ISSUER_ID: 'wallet' })).toThrow(/GOOGLE_WALLET_ISSUER_ID: must be the numeric/);
    const account = { client_email: 'wallet@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n', token_uri: 'https://oauth2.googleapis.com/token' };
    expect(() => loadConfig({ GOOGLE_WALLET_SERVICE_ACCOUNT: JSON.stringify(account) })).toThrow(/GOOGLE_WALLET_ISSUER_ID: required with/);
    const config = loadConfig({ GOOGLE_WALLET_ISSUER_ID: '3388000000022222228', GOOGLE_WALLET_SERVICE_ACCOUNT: JSON.stringify(account) });
    expect(config.GOOGLE_WALLET_SERVICE_ACCOUNT).toMatchObject(account);
    expect(config.GOOGLE_WALLET_BASE_URL).toBe('https://walletobjects.googleapis.com');
    expect(config.GOOGLE_WALLET_TOKEN_URL).toBeUndefined();
  });
});

describe('loadConfig: the failed-login limit', () => {
  it('defaults to 20 failures per 300 s, trusting no proxy, and refuses nonsense', () => {
    const config = loadConfig({});
    expect([config.OPS_AUTH_MAX_FAILURES, config.OPS_AUTH_FAILURE_WINDOW_SECONDS, config.TRUST_PROXY_HOPS]).toEqual([20, 300, 0]);
    expect(loadConfig({ OPS_AUTH_MAX_FAILURES: '5', TRUST_PROXY_HOPS: '2' })).toMatchObject({ OPS_AUTH_MAX_FAILURES: 5, TRUST_PROXY_HOPS: 2 });
    expect(() => loadConfig({ OPS_AUTH_MAX_FAILURES: '0' })).toThrow(/OPS_AUTH_MAX_FAILURES/);
    expect(() => loadConfig({ OPS_AUTH_FAILURE_WINDOW_SECONDS: 'soon' })).toThrow(/OPS_AUTH_FAILURE_WINDOW_SECONDS/);
    expect(() => loadConfig({ TRUST_PROXY_HOPS: 'true' })).toThrow(/TRUST_PROXY_HOPS/);
  });
});
