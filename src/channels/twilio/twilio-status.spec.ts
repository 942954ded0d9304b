import { readTwilioStatus } from './twilio-status';

const AT = new Date('2026-12-01T10:00:00Z');

describe('readTwilioStatus', () => {
  it.each(['queued', 'accepted', 'sending', 'scheduled'])('ignores %s: Twilio still has the message', (status) => {
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: status }, AT)).toEqual({ kind: 'ignored', reason: `status ${status}` });
  });

  it('maps sent and delivered', () => {
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'sent' }, AT)).toEqual({
      kind: 'update',
      update: { channel: 'sms', providerMessageId: 'SM1', status: 'sent', at: AT, detail: { twilioStatus: 'sent' } },
    });
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'delivered' }, AT)).toMatchObject({ update: { status: 'delivered' } });
  });

  it('carries the notification id the StatusCallback URL named, for a send whose sid was never stored', () => {
    const id = '01a236c8-5a90-7dc1-9edf-8a7a03b66827';
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'sent' }, AT, id)).toMatchObject({ update: { providerMessageId: 'SM1', notificationId: id } });
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'sent' }, AT)).not.toHaveProperty('update.notificationId');
  });

  it('maps undelivered and failed to failed, with the ErrorCode and what it means', () => {
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30005' }, AT)).toMatchObject({
      update: { status: 'failed', errorCode: '30005', errorText: 'unknown destination handset', detail: { twilioStatus: 'undelivered' } },
    });
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'failed', ErrorCode: '30008', ErrorMessage: 'Unknown error' }, AT)).toMatchObject({
      update: { status: 'failed', errorCode: '30008', errorText: 'Unknown error' },
    });
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'failed' }, AT)).toMatchObject({
      update: { status: 'failed', errorCode: 'failed', errorText: 'Twilio reports failed' },
    });
  });

  it('falls back to the legacy SmsSid / SmsStatus and ignores what it cannot place', () => {
    expect(readTwilioStatus({ SmsSid: 'SM2', SmsStatus: 'delivered' }, AT)).toMatchObject({ update: { providerMessageId: 'SM2', status: 'delivered' } });
    expect(readTwilioStatus({ MessageStatus: 'delivered' }, AT)).toEqual({ kind: 'ignored', reason: 'no MessageSid' });
    expect(readTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'received' }, AT)).toMatchObject({ kind: 'ignored' });
    expect(readTwilioStatus({ MessageSid: 'SM1' }, AT)).toMatchObject({ kind: 'ignored' });
  });
});
