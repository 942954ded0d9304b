import { isValidTwilioSignature, param, parseTwilioForm, twilioSignature } from './twilio-signature';

/** Twilio's documented example (docs "Webhooks security" / twilio api-snippets signature_validation). */
const DOC_TOKEN = '12345';
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const docParams = (caller: string) => ({ CallSid: 'CA1234567890ABCDE', Caller: caller, Digits: '1234', From: caller, To: '+18005551212' });

describe('Twilio request signatures', () => {
  it("matches Twilio's documented examples", () => {
    expect(twilioSignature(DOC_TOKEN, DOC_URL, docParams('+14158675310'))).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(twilioSignature(DOC_TOKEN, DOC_URL, docParams('+14158675309'))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(isValidTwilioSignature(DOC_TOKEN, DOC_URL, docParams('+14158675310'), 'GvWf1cFY/Q7PnoempGyD5oXAezc=')).toBe(true);
  });

  it('does not depend on the order the parameters arrive in', () => {
    const shuffled = { To: '+18005551212', From: '+14158675310', Digits: '1234', Caller: '+14158675310', CallSid: 'CA1234567890ABCDE' };
    expect(twilioSignature(DOC_TOKEN, DOC_URL, shuffled)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('rejects a missing, wrong or tampered signature, another token or another URL', () => {
    const good = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';
    const params = docParams('+14158675310');
    expect(isValidTwilioSignature(DOC_TOKEN, DOC_URL, params, undefined)).toBe(false);
    expect(isValidTwilioSignature(DOC_TOKEN, DOC_URL, params, '')).toBe(false);
    expect(isValidTwilioSignature(DOC_TOKEN, DOC_URL, params, 'GvWf1cFY/Q7PnoempGyD5oXAezd=')).toBe(false);
    expect(isValidTwilioSignature(DOC_TOKEN, DOC_URL, params, 'short')).toBe(false);
    expect(isValidTwilioSignature('54321', DOC_URL, params, good)).toBe(false);
    expect(isValidTwilioSignature(DOC_TOKEN, 'https://mycompany.com/myapp.php?foo=1&bar=3', params, good)).toBe(false);
    expect(isValidTwilioSignature(DOC_TOKEN, DOC_URL, { ...params, Digits: '9999' }, good)).toBe(false);
    expect(isValidTwilioSignature(DOC_TOKEN, DOC_URL, { ...params, Extra: '' }, good)).toBe(false);
  });

  it('accepts the URL with or without the default port, as Twilio may sign either', () => {
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    const signedWithPort = twilioSignature('tok', 'https://notify.example.com:443/webhooks/twilio/status', params);
    expect(isValidTwilioSignature('tok', 'https://notify.example.com/webhooks/twilio/status', params, signedWithPort)).toBe(true);
    const signedWithout = twilioSignature('tok', 'https://notify.example.com/webhooks/twilio/status', params);
    expect(isValidTwilioSignature('tok', 'https://notify.example.com:443/webhooks/twilio/status', params, signedWithout)).toBe(true);
    const otherPort = twilioSignature('tok', 'https://notify.example.com:8443/webhooks/twilio/status', params);
    expect(isValidTwilioSignature('tok', 'https://notify.example.com/webhooks/twilio/status', params, otherPort)).toBe(false);
  });

  it('parses the form body as Twilio signed it: decoded values, repeated names kept', () => {
    const params = parseTwilioForm(Buffer.from('Body=Stop+it%21&From=%2B31612345678&MediaUrl=b&MediaUrl=a'));
    expect(params).toEqual({ Body: 'Stop it!', From: '+31612345678', MediaUrl: ['b', 'a'] });
    expect(param(params, 'MediaUrl')).toBe('b');
    expect(parseTwilioForm(undefined)).toEqual({});
    // Repeated names are signed value by value, sorted.
    expect(twilioSignature('t', 'https://x.test/h', params)).toBe(twilioSignature('t', 'https://x.test/h', { ...params, MediaUrl: ['a', 'b'] }));
  });
});
