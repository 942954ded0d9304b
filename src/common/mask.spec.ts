import { maskContact, maskEmail, maskPersonalData, maskPhone, maskRecipient } from './mask';

describe('masking personal data', () => {
  it('keeps only the country prefix and last digits of a phone number', () => {
    expect(maskPhone('+31612345678')).toBe('+31******678');
  });

  it('keeps only the first letter and domain of an e-mail address', () => {
    expect(maskEmail('luc.desmarais@example.com')).toBe('l***@example.com');
    expect(maskContact('luc@example.com')).toBe('l***@example.com');
  });

  it('masks contacts embedded in free text', () => {
    const masked = maskPersonalData('send to +31612345678 failed, cc luc@example.com');
    expect(masked).not.toContain('+31612345678');
    expect(masked).not.toContain('luc@example.com');
    expect(masked).toContain('+31******678');
  });

  it("masks a notification's recipient for lists, except a partner webhook's name", () => {
    expect(maskRecipient('whatsapp', '+31612345678')).toBe('+31******678');
    expect(maskRecipient('email', 'luc@example.com')).toBe('l***@example.com');
    expect(maskRecipient('webhook', 'skyteam-lounge')).toBe('skyteam-lounge');
  });

  it('masks an FCM registration token inside free text', () => {
    const token = `dQw4w9WgXcQ:APA91b${'H'.repeat(134)}`;
    const masked = maskPersonalData(`send to ${token} failed`);
    expect(masked).not.toContain('APA91');
    expect(masked).toBe(`send to dQw4…(${token.length}) failed`);
  });
});
