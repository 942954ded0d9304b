import { loadConfig } from './app-config';

const wallet = {
  APPLE_WALLET_PASS_TYPE_ID: 'pass.com.example.airline',
  APPLE_WALLET_TEAM_ID: 'T3AMTESTID',
  APPLE_WALLET_CERT: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----',
  APPLE_WALLET_KEY: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
  APPLE_WALLET_WWDR_CERT: '-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----',
};

describe('Apple Wallet configuration', () => {
  it('is optional: without it the service starts as before', () => {
    expect(loadConfig({}).APPLE_WALLET_PASS_TYPE_ID).toBeUndefined();
  });

  it('takes all five variables', () => {
    expect(loadConfig(wallet)).toMatchObject(wallet);
  });

  it('names the missing ones when only some are set', () => {
    const { APPLE_WALLET_KEY: _key, APPLE_WALLET_WWDR_CERT: _wwdr, ...some } = wallet;
    expect(() => loadConfig(some)).toThrow(/APPLE_WALLET_KEY: required with .*APPLE_WALLET_WWDR_CERT: required with/);
  });

  it('refuses a pass type id that is not one and a certificate that is no PEM, naming the variable', () => {
    expect(() => loadConfig({ ...wallet, APPLE_WALLET_PASS_TYPE_ID: 'com.example.airline' })).toThrow(/APPLE_WALLET_PASS_TYPE_ID/);
    expect(() => loadConfig({ ...wallet, APPLE_WALLET_CERT: 'not a certificate' })).toThrow(/APPLE_WALLET_CERT/);
  });
});
