import { randomBytes } from 'node:crypto';
import { bookingSnapshot, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { sign, WeChatContractServer } from './support/wechat-contract-server';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

interface Row {
  id: string;
  status: string;
  attempts: number;
  provider_message_id: string | null;
  last_error_code: string | null;
  last_error: string | null;
}

/** An OpenID as WeChat issues them: 28 characters of [A-Za-z0-9_-]. */
export const openId = (): string => `o${randomBytes(20).toString('base64url')}`;

describe('WeChat Official Account channel: events → template messages → signed event pushes', () => {
  let server: WeChatContractServer;
  let url: string;
  let seq = 0;

  const fresh = (follows = true) => {
    seq++;
    const id = openId();
    if (follows) server.followers.add(id);
    return { openid: id, ref: `WX${String(seq).padStart(4, '0')}`, flight: String(6000 + seq) };
  };

  const publishBooking = async (ref: string, openid: string, flight: string, options: { locale?: string; sms?: string } = {}) => {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [
        passenger({
          passengerId: 'PAX-1',
          locale: options.locale ?? 'zh-CN',
          contacts: { wechat: openid, ...(options.sms ? { sms: options.sms } : {}) },
          consents: [{ channel: 'wechat', granted: true }, ...(options.sms ? [{ channel: 'sms' as const, granted: true }] : [])],
        }),
      ],
      segments: [segment({ flightNumber: flight })],
    });
    await service.publisher.publish(event.type, event);
  };

  const notification = async (ref: string, type = 'booking-confirmation', channel = 'wechat'): Promise<Row | undefined> => {
    const rows: Row[] = await service.db.query(
      `SELECT id, status, attempts, provider_message_id, last_error_code, last_error FROM notifications
        WHERE booking_reference = $1 AND channel = $2 AND type = $3`,
      [ref, channel, type],
    );
    return rows[0];
  };
  const until = (ref: string, accept: (row: Row) => boolean, what: string, type?: string, channel?: string) =>
    waitFor(async () => {
      const row = await notification(ref, type, channel);
      return row && accept(row) ? row : undefined;
    }, 30_000, what);
  const kinds = async (id: string): Promise<string[]> =>
    ((await service.db.query(`SELECT kind FROM notification_events WHERE notification_id = $1 ORDER BY id`, [id])) as { kind: string }[]).map((e) => e.kind);
  const consent = async (ref: string): Promise<boolean | undefined> =>
    ((await service.db.query(`SELECT granted FROM consents WHERE booking_reference = $1 AND channel = 'wechat'`, [ref])) as { granted: boolean }[])[0]?.granted;
  const webhook = () => `${url}/webhooks/wechat`;

  beforeAll(async () => {
    server = await new WeChatContractServer().start();
  });
  const service = useTestService(() => ({
    CHANNEL_WECHAT: 'wechat-official-account',
    ...server.env(),
    PROVIDER_TIMEOUT_MS: '10000',
    WECHAT_RECIPIENT_INTERVAL_MS: '0',
    FIRST_CHANNEL_ONLY_TYPES: 'flight-cancellation',
  }));
  beforeAll(async () => {
    url = await service.app.getUrl();
    server.callbackUrl = webhook();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends the Chinese template with every keyword and follows WeChat’s push to delivered', async () => {
    const { openid, ref, flight } = fresh();
    await publishBooking(ref, openid, flight);
    const delivered = await until(ref, (r) => r.status === 'delivered', 'the notification delivered');
    const [send] = server.sendsTo(openid);
    expect(send.errcode).toBe(0);
    expect(send.body).toMatchObject({
      touser: openid,
      template_id: 'pAUEZu90Y4MNIqAZW839pQeV9ZUN7jOlSUCUCMPDKJw',
      data: {
        character_string1: { value: ref },
        character_string2: { value: `KL${flight}` },
        thing3: { value: '阿姆斯特丹' },
        thing4: { value: '巴黎' },
        time5: { value: '2026-12-01 08:35' },
      },
    });
    // WeChat's msgid is a 64-bit number: stored digit for digit, or its push would never find the notification.
    expect(delivered.provider_message_id).toBe(send.msgid);
    expect(BigInt(send.msgid as string) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(await kinds(delivered.id)).toEqual(['attempt', 'provider-delivered']);
    // The row turns delivered inside the push's request, before its answer reaches WeChat: wait for the answer.
    await server.settled();
    expect(server.pushes.at(-1)?.answers.at(-1)).toBe(200);
  });

  it('applies a replayed push once and never moves a delivered message back', async () => {
    const { openid, ref, flight } = fresh();
    await publishBooking(ref, openid, flight);
    const row = await until(ref, (r) => r.status === 'delivered', 'the notification delivered');
    const msgid = row.provider_message_id as string;
    for (let i = 0; i < 2; i++) {
      expect(await server.push(webhook(), server.jobFinish(openid, msgid, 'success'))).toEqual({ status: 200, body: 'success' });
    }
    // Out of order: a failure report after the delivery (WeChat's or a forged replay) changes nothing.
    expect((await server.push(webhook(), server.jobFinish(openid, msgid, 'failed: system failed'))).status).toBe(200);
    expect(await notification(ref)).toMatchObject({ status: 'delivered' });
    const events = await kinds(row.id);
    expect(events.filter((k) => k === 'provider-delivered')).toHaveLength(1);
  });

  it('asks WeChat to push again when it reports a msgid not stored yet, and acknowledges an old unknown one', async () => {
    const openid = openId();
    const recent = await server.push(webhook(), server.jobFinish(openid, '9111111111111111111', 'success'));
    expect(recent.status).toBe(503);
    const old = await server.push(webhook(), server.jobFinish(openid, '9111111111111111112', 'success', Math.floor(Date.now() / 1000) - 3600));
    expect(old).toEqual({ status: 200, body: 'success' });
  });

  it('refuses pushes and URL checks without our signature, and echoes echostr with it', async () => {
    const { openid, ref, flight } = fresh();
    server.pushStatus.set(openid, null);
    await publishBooking(ref, openid, flight);
    const sent = await until(ref, (r) => r.status === 'sent', 'the notification sent');
    const push = server.jobFinish(openid, sent.provider_message_id as string, 'success');
    expect((await server.push(webhook(), push, { signature: 'f'.repeat(40) })).status).toBe(401);
    expect((await server.push(webhook(), push, { signature: sign('not-our-token', '1700000000', '42'), timestamp: '1700000000', nonce: '42' })).status).toBe(401);
    expect(await notification(ref)).toMatchObject({ status: 'sent' });

    const timestamp = String(Math.floor(Date.now() / 1000));
    const good = new URLSearchParams({ signature: sign(server.token, timestamp, '7'), timestamp, nonce: '7', echostr: 'echo-4711' });
    const check = await fetch(`${webhook()}?${good.toString()}`);
    expect({ status: check.status, body: await check.text() }).toEqual({ status: 200, body: 'echo-4711' });
    const forged = new URLSearchParams({ signature: sign(server.token, timestamp, '8'), timestamp, nonce: '7', echostr: 'echo-4711' });
    expect((await fetch(`${webhook()}?${forged.toString()}`)).status).toBe(403);
    // Signed, but not a push: a clear 400 naming what is wrong.
    const bad = await fetch(`${webhook()}?${new URLSearchParams({ signature: sign(server.token, timestamp, '9'), timestamp, nonce: '9' }).toString()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml' },
      body: '<xml><ToUserName>gh</ToUserName></xml>',
    });
    expect({ status: bad.status, body: await bad.text() }).toMatchObject({ status: 400, body: expect.stringContaining('FromUserName') });
  });

  it('retries system busy (-1) and sends on', async () => {
    const { openid, ref, flight } = fresh();
    server.scriptSend(openid, { errcode: -1, errmsg: 'system error' });
    await publishBooking(ref, openid, flight);
    const row = await until(ref, (r) => r.status === 'delivered', 'the notification delivered after a retry');
    expect(row.attempts).toBe(2);
    expect(server.sendsTo(openid).map((s) => s.errcode)).toEqual([-1, 0]);
  });

  it('retries the daily quota (45009) a few times, then fails with the code', async () => {
    const { openid, ref, flight } = fresh();
    const quota = { errcode: 45009, errmsg: 'reach max api daily quota limit' };
    server.scriptSend(openid, quota, quota, quota, quota);
    await publishBooking(ref, openid, flight);
    const row = await until(ref, (r) => r.status === 'failed', 'the notification failed');
    expect(row).toMatchObject({ attempts: 3, last_error_code: '45009' });
    expect(server.sendsTo(openid).map((s) => s.errcode)).toEqual([45009, 45009, 45009]);
  });

  it('fails an invalid template (40037) permanently with the code, at once', async () => {
    const { openid, ref, flight } = fresh();
    server.scriptSend(openid, { errcode: 40037, errmsg: 'invalid template_id' });
    await publishBooking(ref, openid, flight);
    const row = await until(ref, (r) => r.status === 'failed', 'the notification failed');
    expect(row).toMatchObject({ attempts: 1, last_error_code: '40037' });
    expect(row.last_error).toContain('invalid template_id');
    expect(await consent(ref)).toBe(true);
  });

  it('withdraws WeChat consent when the passenger does not follow the account (43004)', async () => {
    const { openid, ref, flight } = fresh(false);
    await publishBooking(ref, openid, flight);
    const row = await until(ref, (r) => r.status === 'failed', 'the notification failed');
    expect(row).toMatchObject({ attempts: 1, last_error_code: '43004' });
    expect(await consent(ref)).toBe(false);
  });

  it('replaces a refused access token at once (40001) and sends again with the new one', async () => {
    const before = server.tokenRequests.length;
    const { openid, ref, flight } = fresh();
    server.scriptSend(openid, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    await publishBooking(ref, openid, flight);
    const row = await until(ref, (r) => r.status === 'delivered', 'the notification delivered');
    expect(row.attempts).toBe(1);
    const sends = server.sendsTo(openid);
    expect(sends.map((s) => s.errcode)).toEqual([40001, 0]);
    expect(sends[1].accessToken).not.toBe(sends[0].accessToken);
    expect(server.tokenRequests.length).toBe(before + 1);
  });

  it('refreshes the token before it expires, without a refusal', async () => {
    // Valid for 301 s with a 300 s margin: fresh for one second only, then replaced before WeChat would refuse it.
    server.expiresInSeconds = 301;
    server.expireTokens();
    try {
      const first = fresh();
      await publishBooking(first.ref, first.openid, first.flight);
      await until(first.ref, (r) => r.status === 'delivered', 'the first notification delivered');
      const afterFirst = server.tokenRequests.length;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const second = fresh();
      await publishBooking(second.ref, second.openid, second.flight);
      await until(second.ref, (r) => r.status === 'delivered', 'the second notification delivered');
      expect(server.sendsTo(second.openid).map((s) => s.errcode)).toEqual([0]);
      expect(server.tokenRequests.length).toBe(afterFirst + 1);
    } finally {
      server.expiresInSeconds = 7200;
    }
  });

  it('withdraws consent on a "user block" failure and on unfollowing', async () => {
    const blocked = fresh();
    server.pushStatus.set(blocked.openid, 'failed:user block');
    await publishBooking(blocked.ref, blocked.openid, blocked.flight);
    const row = await until(blocked.ref, (r) => r.status === 'failed', 'the notification failed by the push');
    expect(row.last_error_code).toBe('user-block');
    expect(await consent(blocked.ref)).toBe(false);

    const leaving = fresh();
    server.pushStatus.set(leaving.openid, null);
    await publishBooking(leaving.ref, leaving.openid, leaving.flight);
    await until(leaving.ref, (r) => r.status === 'sent', 'the notification sent');
    const unfollow = { ToUserName: 'gh_7f083739789a', FromUserName: leaving.openid, CreateTime: String(Math.floor(Date.now() / 1000)), MsgType: 'event', Event: 'unsubscribe' };
    expect(await server.push(webhook(), unfollow)).toEqual({ status: 200, body: 'success' });
    expect(await server.push(webhook(), unfollow)).toEqual({ status: 200, body: 'success' });
    expect(await consent(leaving.ref)).toBe(false);
    // Applied once: the second (identical) push found the receipt.
    expect(await count(service.db, `SELECT 1 FROM webhook_receipts WHERE provider = 'wechat'`)).toBeGreaterThan(0);
  });

  it('falls back to the next channel when a critical message fails on WeChat', async () => {
    const { openid, ref, flight } = fresh();
    const sms = `+3161${String(1_000_000 + seq)}`;
    await publishBooking(ref, openid, flight, { sms });
    await until(ref, (r) => r.status === 'delivered', 'the booking confirmation delivered');
    server.pushStatus.set(openid, 'failed: system failed');
    const seg = segment({ flightNumber: flight });
    const cancel = flightStatus(seg, 2, { status: 'CANCELLED' });
    await service.publisher.publish(cancel.type, cancel);
    const failed = await until(ref, (r) => r.status === 'failed', 'the cancellation failed on WeChat', 'flight-cancellation');
    expect(failed.last_error_code).toBe('system-failed');
    // First channel only: SMS had nothing until WeChat failed; WeChat consent stays (WeChat's own failure).
    const fallback = await until(ref, (r) => r.status === 'delivered', 'the cancellation delivered by SMS', 'flight-cancellation', 'sms');
    expect(fallback.id).not.toBe(failed.id);
    expect(await kinds(failed.id)).toContain('fallback');
    expect(await consent(ref)).toBe(true);
  });
});
