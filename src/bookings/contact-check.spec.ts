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

  it('keeps a WeChat OpenID exactly as given and refuses anything else', () => {
    expect(checkContact('wechat', ' oia2TjuEGTNoeX76QEjQNrcURxG8 ')).toEqual({ usable: true, value: 'oia2TjuEGTNoeX76QEjQNrcURxG8' });
    expect(checkContact('wechat', 'o_-2TjuEGTNoeX76QEjQNrcURxG8')).toEqual({ usable: true, value: 'o_-2TjuEGTNoeX76QEjQNrcURxG8' });
    for (const bad of ['oia2TjuEGTNoeX76QEjQNrcURxG', 'oia2TjuEGTNoeX76QEjQNrcURxG8x', 'oia2TjuEGTNoeX76QEjQNrcURx+8', '+8613812345678']) {
      const check = checkContact('wechat', bad);
      expect(check).toMatchObject({ usable: false, reason: 'malformed-openid' });
      expect(JSON.stringify(check)).not.toContain(bad);
    }
  });
});
