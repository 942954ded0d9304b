import { normaliseReply, OPT_OUT_KEYWORDS, optOutKeyword } from './opt-out-keywords';

describe('normaliseReply', () => {
  it.each([
    ['STOP!', 'STOP'],
    [' stop ', 'STOP'],
    ['Stop.', 'STOP'],
    ['STOP 🙏', 'STOP'],
    ['🙏🏽 stop ❤️', 'STOP'],
    ['¡Arrêt!', 'ARRÊT'],
    ['ARRE\u0302T', 'ARRÊT'],
    ['ＳＴＯＰ', 'STOP'],
    ['stop by later', 'STOP BY LATER'],
  ])('%j → %j', (text, normalised) => expect(normaliseReply(text)).toBe(normalised));

  it('case-folds the same whatever the process locale (no Turkish dotted İ)', () => {
    expect(normaliseReply('quit')).toBe('QUIT');
    expect(normaliseReply('quit')).not.toContain('İ');
  });
});

describe('optOutKeyword: whole-message keywords, the same on every channel', () => {
  it.each([
    // From the SMS list (src/channels/twilio/stop-keywords.ts before 0019).
    'STOP',
    'stop',
    ' Stop ',
    'STOPP',
    'unsubscribe',
    'Stoppen',
    'AFMELDEN',
    'afmelden',
    'afmelden.',
    'STOP!',
    'stopall',
    'Cancel',
    'QUIT',
    // From the WhatsApp list (whatsapp-webhook.service.ts before 0019).
    '  Stop\n',
    'uitschrijven',
    'arret',
    'Arrêt',
    'ARRE\u0302T',
    'abmelden',
    // The cases the lists disagreed on, and emoji.
    'Stop.',
    'STOP 🙏',
    'end',
    'revoke',
    'OptOut',
  ])('%j opts out', (text) => expect(optOutKeyword(text)).toBeDefined());

  it.each([
    '',
    undefined,
    'please stop',
    'STOP IT',
    'stopping',
    'hello',
    'START',
    'Stop texting me',
    'STOP please',
    'don’t stop',
    'stopped',
    'stop by later',
    '🙏',
    '!!!',
  ])('%j does not', (text) => expect(optOutKeyword(text)).toBeUndefined());

  it('names the keyword in its normal form', () => {
    expect(optOutKeyword(' stop! ')).toBe('STOP');
    expect(optOutKeyword('arre\u0302t')).toBe('ARRÊT');
  });

  it('holds every keyword either channel had before, and only words in their normal form', () => {
    const before = ['STOP', 'STOPP', 'UNSUBSCRIBE', 'STOPPEN', 'AFMELDEN', 'STOPALL', 'END', 'QUIT', 'CANCEL', 'OPTOUT', 'REVOKE', 'UITSCHRIJVEN', 'ARRET', 'ARRÊT', 'ABMELDEN'];
    expect([...OPT_OUT_KEYWORDS].sort()).toEqual([...before].sort());
    for (const keyword of OPT_OUT_KEYWORDS) expect(normaliseReply(keyword)).toBe(keyword);
  });
});
