import { classifySmtpFailure } from './smtp-errors';

describe('classifySmtpFailure', () => {
  it('pauses the channel when the server refuses our login', () => {
    expect(classifySmtpFailure({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Error: authentication failed', command: 'AUTH PLAIN' })).toEqual({
      outcome: 'paused',
      code: 'smtp-535',
      message: 'SMTP server refused our login: 535 5.7.8 Error: authentication failed',
    });
    expect(classifySmtpFailure({ responseCode: 530, response: '530 5.7.0 Must issue a STARTTLS command first' })).toMatchObject({ outcome: 'paused' });
    expect(classifySmtpFailure({ code: 'ENOAUTH', message: 'Missing credentials for "PLAIN"' })).toMatchObject({ outcome: 'paused', code: 'ENOAUTH' });
    expect(classifySmtpFailure({ code: 'EAUTH', message: 'no supported mechanism' })).toMatchObject({ outcome: 'paused', code: 'EAUTH' });
  });

  it('gives up for good on 5xx replies', () => {
    expect(classifySmtpFailure({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 Mailbox unavailable', command: 'RCPT TO' })).toEqual({
      outcome: 'permanent',
      code: 'smtp-550',
      message: '550 5.1.1 Mailbox unavailable',
    });
    expect(classifySmtpFailure({ responseCode: 553, response: '553 5.1.3 Bad recipient address syntax' })).toMatchObject({ outcome: 'permanent', code: 'smtp-553' });
    expect(classifySmtpFailure({ responseCode: 552, response: '552 5.3.4 Message too big' })).toMatchObject({ outcome: 'permanent' });
    expect(classifySmtpFailure({ responseCode: 554, response: '554 5.7.1 Rejected as spam' })).toMatchObject({ outcome: 'permanent' });
  });

  it('retries 4xx replies and 503 (bad sequence)', () => {
    expect(classifySmtpFailure({ code: 'EENVELOPE', responseCode: 451, response: '451 4.3.0 Try again later' })).toEqual({
      outcome: 'retryable',
      code: 'smtp-451',
      message: '451 4.3.0 Try again later',
    });
    expect(classifySmtpFailure({ responseCode: 421, response: '421 Service not available' })).toMatchObject({ outcome: 'retryable' });
    expect(classifySmtpFailure({ responseCode: 454, response: '454 4.7.0 Temporary authentication failure' })).toMatchObject({ outcome: 'retryable' });
    expect(classifySmtpFailure({ responseCode: 503, response: '503 5.5.1 Bad sequence of commands' })).toMatchObject({ outcome: 'retryable' });
  });

  it('retries when there was no reply at all: connection refused, timeout, socket closed', () => {
    expect(classifySmtpFailure({ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:2525' })).toEqual({
      outcome: 'retryable',
      code: 'ESOCKET',
      message: 'connect ECONNREFUSED 127.0.0.1:2525',
    });
    expect(classifySmtpFailure({ code: 'ETIMEDOUT', message: 'Greeting never received' })).toMatchObject({ outcome: 'retryable' });
    expect(classifySmtpFailure({ code: 'ECONNECTION', message: 'Connection closed' })).toMatchObject({ outcome: 'retryable' });
    expect(classifySmtpFailure({ message: 'something odd' })).toMatchObject({ outcome: 'retryable', code: 'smtp-error' });
  });

  it('gives up on an envelope nodemailer itself refused', () => {
    expect(classifySmtpFailure({ code: 'EENVELOPE', message: 'No recipients defined' })).toMatchObject({ outcome: 'permanent', code: 'EENVELOPE' });
  });

  it('masks the address a server quotes', () => {
    const result = classifySmtpFailure({ responseCode: 550, response: '550 5.1.1 <luc.desmarais@example.com>: Recipient address rejected' });
    expect(result.message).not.toContain('luc.desmarais@example.com');
    expect(result.message).toContain('l***@example.com');
  });
});
