import { randomBytes } from 'node:crypto';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { WeChatContractServer } from './support/wechat-contract-server';
import { count, createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

/**
 * Two replicas of the service on one database share one WeChat access token: WeChat invalidates a token when a
 * new one is fetched, so replicas fetching their own would refuse each other's sends (docs/decisions/0027).
 */
describe('WeChat access token shared by two replicas', () => {
  let server: WeChatContractServer;
  let environment: TestEnvironment;
  const replicas: TestService[] = [];
  let seq = 0;

  beforeAll(async () => {
    server = await new WeChatContractServer().start();
    environment = await createTestEnvironment({ CHANNEL_WECHAT: 'wechat-official-account', ...server.env(), WECHAT_RECIPIENT_INTERVAL_MS: '0', PROVIDER_TIMEOUT_MS: '10000' });
    replicas.push(await startService(environment.env), await startService(environment.env));
    // Each replica's dispatcher claims what is due; both send from here on.
    server.callbackUrl = `${await replicas[1].app.getUrl()}/webhooks/wechat`;
  }, 180_000);
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await environment?.dispose();
    await server?.close();
  });

  /** Books `n` passengers at once (one booking each) and waits until WeChat took every message. */
  const bookAndDeliver = async (n: number): Promise<string[]> => {
    const refs: string[] = [];
    for (let i = 0; i < n; i++) {
      seq++;
      const ref = `WR${String(seq).padStart(4, '0')}`;
      const openid = `o${randomBytes(20).toString('base64url')}`;
      server.followers.add(openid);
      refs.push(ref);
      const event = bookingSnapshot('booking.confirmed', {
        bookingReference: ref,
        passengers: [passenger({ passengerId: 'P1', locale: 'en', contacts: { wechat: openid }, consents: [{ channel: 'wechat', granted: true }] })],
        segments: [segment({ flightNumber: String(7000 + seq) })],
      });
      // Alternate the replicas' publishers: both consumers and both dispatchers take part.
      await replicas[i % 2].publisher.publish(event.type, event);
    }
    await waitFor(
      async () => (await count(replicas[0].db, `SELECT 1 FROM notifications WHERE booking_reference = ANY($1) AND status IN ('sent', 'delivered')`, [refs])) === n,
      90_000,
      `${n} notifications taken by WeChat`,
    );
    return refs;
  };

  it('fetches one token for both replicas, and one more when WeChat says it expired', async () => {
    await bookAndDeliver(8);
    expect(server.tokenRequests).toHaveLength(1);
    const row: { version: number }[] = await replicas[0].db.query(`SELECT version FROM wechat_access_tokens`);
    expect(row).toEqual([{ version: 1 }]);

    server.expireTokens();
    const sendsBefore = server.sends.length;
    await bookAndDeliver(8);
    // Every send that met the expired token (42001) was sent again with the one new token: no stampede.
    expect(server.tokenRequests).toHaveLength(2);
    const after = server.sends.slice(sendsBefore);
    expect(after.filter((s) => s.errcode === 42001).length).toBeGreaterThanOrEqual(1);
    expect(after.filter((s) => s.errcode === 0)).toHaveLength(8);
    expect(new Set(after.filter((s) => s.errcode === 0).map((s) => s.accessToken)).size).toBe(1);
    expect(await replicas[1].db.query(`SELECT version FROM wechat_access_tokens`)).toEqual([{ version: 2 }]);
  }, 240_000);
});
