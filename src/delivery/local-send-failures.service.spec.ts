import { Logger } from '@nestjs/common';
import { LOCAL_FAILURES_BEFORE_UNREADY, LocalSendFailures } from './local-send-failures.service';

describe('LocalSendFailures', () => {
  let warnings: string[];
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 30, 6, 0, seconds));

  it('names a channel only once its last sends all failed on our side, and forgets it when one succeeds', () => {
    const failures = new LocalSendFailures();
    for (let i = 1; i < LOCAL_FAILURES_BEFORE_UNREADY; i++) failures.failed('whatsapp', 'sandbox', 'outbox-write-failed: ENOSPC', at(i));
    expect(failures.failing()).toEqual([]);
    failures.failed('whatsapp', 'sandbox', "outbox-write-failed: EACCES: permission denied, open '/app/var/outbox/whatsapp/n1.json'", at(9));
    expect(failures.failing()).toEqual([
      {
        channel: 'whatsapp',
        adapter: 'sandbox',
        failures: LOCAL_FAILURES_BEFORE_UNREADY,
        lastError: "outbox-write-failed: EACCES: permission denied, open '/app/var/outbox/whatsapp/n1.json'",
        since: at(1).toISOString(),
      },
    ]);
    failures.succeeded('sms'); // another channel's success changes nothing
    expect(failures.failing().map((f) => f.channel)).toEqual(['whatsapp']);
    failures.succeeded('whatsapp');
    expect(failures.failing()).toEqual([]);
  });

  it('warns with the cause, once per ten seconds while failures go on, counting those not logged', () => {
    const failures = new LocalSendFailures();
    failures.failed('email', 'sandbox', 'outbox-write-failed: ENOSPC: no space left on device', at(0));
    failures.failed('email', 'sandbox', 'outbox-write-failed: ENOSPC: no space left on device', at(1));
    failures.failed('email', 'sandbox', 'outbox-write-failed: ENOSPC: no space left on device', at(2));
    failures.failed('email', 'sandbox', 'outbox-write-failed: ENOSPC: no space left on device', at(11));
    expect(warnings).toEqual([
      'email send failed on our side (sandbox), will retry: outbox-write-failed: ENOSPC: no space left on device',
      'email send failed on our side (sandbox), will retry: outbox-write-failed: ENOSPC: no space left on device (2 more since the last warning)',
    ]);
  });

  it('masks personal data in the cause it logs and reports', () => {
    const failures = new LocalSendFailures();
    for (let i = 0; i < LOCAL_FAILURES_BEFORE_UNREADY; i++) failures.failed('sms', 'sandbox', 'cannot write for +31612345678', at(i));
    expect(warnings[0]).not.toContain('+31612345678');
    expect(failures.failing()[0].lastError).toBe('cannot write for +31******678');
  });
});
