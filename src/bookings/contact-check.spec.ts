import { checkContact } from './contact-check';

describe('checkContact', () => {
  it('keeps a valid phone number, in E.164', () => {
    expect(checkContact('sms', '+31 6 1234 5678')).toEqual({ usable: true, value: '+31612345678' });
    expect(checkContact('whatsapp', '+31612345678')).toEqual({ usable: true, value: '+31612345678' });
  });

  it.each([
    ['+31 6 not a number', 'too-short'],
    ['call me', 'not-a-number'],
    ['0612345678', 'invalid-country'],
    ['+310123', 'invalid-number'],
    ['+31612345678901234567890', 'too-long'],
  ])('refuses the phone number %j as %s, with a detail that does not repeat it', (value, reason) => {
    const check = checkContact('sms', value);
    expect(check).toMatchObject({ usable: false, reason });
    expect(JSON.stringify(check)).not.toContain(value);
  });

  it('keeps a well-formed e-mail address and refuses a malformed one', () => {
    expect(checkContact('email', 'li.q@example.com')).toEqual({ usable: true, value: 'li.q@example.com' });
    expect(checkContact('email', 'nobody@')).toMatchObject({ usable: false, reason: 'malformed-email' });
    expect(checkContact('email', 'two@@example.com')).toMatchObject({ usable: false, reason: 'malformed-email' });
  });

  it('keeps an app account id as it is and refuses one with spaces, control characters or over 128 characters', () => {
    expect(checkContact('push', 'acct-8841:KL')).toEqual({ usable: true, value: 'acct-8841:KL' });
    for (const bad of ['two words', 'tab\there', 'x'.repeat(129), '']) {
      expect(checkContact('push', bad)).toMatchObject({ usable: false, reason: 'malformed-account' });
    }
  });

  it('keeps a Messenger PSID of digits and refuses anything else, without repeating it', () => {
    expect(checkContact('messenger', '25381719828140932')).toEqual({ usable: true, value: '25381719828140932' });
    expect(checkContact('messenger', ' 25381719828140932 ')).toEqual({ usable: true, value: '25381719828140932' });
    for (const bad of ['+31612345678', '2538171982814093a', '', 'luc@example.com']) {
      const check = checkContact('messenger', bad);
      expect(check).toMatchObject({ usable: false, reason: 'malformed-psid' });
      if (bad) expect(JSON.stringify(check)).not.toContain(bad);
    }
  });

  it('keeps a WeChat OpenID of 28 URL-safe characters and refuses other lengths and characters', () => {
    expect(checkContact('wechat', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')).toEqual({ usable: true, value: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
    expect(checkContact('wechat', 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M')).toMatchObject({ usable: true });
    // Case matters in an OpenID: kept exactly as given, only surrounding white space dropped.
    expect(checkContact('wechat', ' oia2TjuEGTNoeX76QEjQNrcURxG8 ')).toEqual({ usable: true, value: 'oia2TjuEGTNoeX76QEjQNrcURxG8' });
    for (const bad of ['oUpF8uMuAJO_M2pxb1Q9zNjWeS6', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6oX', 'oUpF8uMuAJO+M2pxb1Q9zNjWeS6o', 'oUpF8uMuAJO M2pxb1Q9zNjWeS6o', '+8613812345678']) {
      const check = checkContact('wechat', bad);
      expect(check).toMatchObject({ usable: false, reason: 'malformed-openid' });
      expect(JSON.stringify(check)).not.toContain(bad);
    }
  });
});
