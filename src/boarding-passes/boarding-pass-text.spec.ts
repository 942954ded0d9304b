import { faceFont, type FaceId } from './boarding-pass-fonts';
import { boardingPassCatalogs, LABEL_NAMES } from './boarding-pass-labels';
import { hanFaceFor, isRightToLeft, textRuns, type TextRun, type TextSetting } from './boarding-pass-text';
import { localTime } from './boarding-pass-time';
import { PASS_LOCALES, SAMPLE_NAMES } from './boarding-pass.sample';

const page = (locale: string): TextSetting => ({
  han: hanFaceFor(locale),
  direction: isRightToLeft(boardingPassCatalogs().labels(locale).boardingPass) ? 'rtl' : 'ltr',
});
const value = (locale: string): TextSetting => ({ han: hanFaceFor(locale), direction: 'auto' });
const faces = (runs: readonly TextRun[]): FaceId[] => runs.map((r) => r.face);

describe('every character printed has a glyph in the face that draws it', () => {
  /** Code points of `text` that the face chosen for them cannot draw (would print as a box). */
  function missingGlyphs(text: string, setting: TextSetting): string[] {
    return textRuns(text, setting).flatMap((run) =>
      Array.from(run.text)
        .filter((char) => !faceFont(run.face).hasGlyphForCodePoint(char.codePointAt(0)!))
        .map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase()} '${char}' in ${run.face} (${JSON.stringify(text)})`),
    );
  }

  it.each(PASS_LOCALES)('%s: every label, upper-cased title and localised date', (locale) => {
    const labels = boardingPassCatalogs().labels(locale);
    const texts = [
      ...LABEL_NAMES.map((name) => labels[name]),
      labels.boardingPass.toLocaleUpperCase(locale),
      localTime('2026-03-14T06:25:00Z', 'Europe/Amsterdam', locale).date,
      localTime('2026-12-31T22:25:00Z', 'Asia/Tokyo', locale).date,
    ];
    expect(texts.flatMap((text) => missingGlyphs(text, page(locale)))).toEqual([]);
  });

  it.each(PASS_LOCALES)('%s: passenger names in Latin with diacritics, Japanese, Chinese, Korean and Arabic', (locale) => {
    expect(Object.values(SAMPLE_NAMES).flatMap((name) => missingGlyphs(name, value(locale)))).toEqual([]);
  });

  it('catches a character no face has (the check can fail)', () => {
    expect(missingGlyphs('A\u{1F6EB}', value('en'))).toHaveLength(1); // ✈ departure emoji: in none of the faces
  });
});

describe('textRuns', () => {
  it('keeps a Latin-only line in one DejaVu run', () => {
    expect(textRuns('Zoë Müller-Lüdenscheidt · KL 1234 → 07:25', value('en'))).toEqual([
      { face: 'latin', text: 'Zoë Müller-Lüdenscheidt · KL 1234 → 07:25', whole: false },
    ]);
  });

  it('draws Han in the regional face of the document language (Han unification)', () => {
    expect(faces(textRuns('直行便', value('ja')))).toEqual(['japanese']);
    expect(faces(textRuns('直行便', value('zh-Hans')))).toEqual(['chinese']);
    expect(faces(textRuns('直行便', value('ko')))).toEqual(['korean']);
    // The three cuts really draw some ideographs differently, e.g. 述 (U+8FF0).
    const outline = (face: FaceId) => faceFont(face).glyphForCodePoint(0x8ff0).path.toSVG();
    expect(new Set([outline('japanese'), outline('chinese'), outline('korean')]).size).toBe(3);
  });

  it('takes kana as Japanese and Hangul as Korean, whatever the document language', () => {
    expect(faces(textRuns('佐藤 ゆき', value('en')))).toEqual(['japanese']);
    expect(faces(textRuns('金 민지', value('zh-Hans')))).toEqual(['korean']);
  });

  it('mixes faces within a line: Latin values stay in DejaVu beside Japanese labels', () => {
    expect(textRuns('予約番号 ABC123', page('ja'))).toEqual([
      { face: 'japanese', text: '予約番号 ', whole: false },
      { face: 'latin', text: 'ABC123', whole: false },
    ]);
  });

  it('orders an Arabic line right to left, keeping the booking code left to right', () => {
    // Drawn left to right: the code first, then the Arabic label in logical order for fontkit to shape and reverse.
    expect(textRuns('رقم الحجز ABC123', page('ar'))).toEqual([
      { face: 'latin', text: 'ABC123', whole: false },
      { face: 'arabic', text: 'رقم الحجز ', whole: true },
    ]);
  });

  it('keeps times and codes readable on an Arabic page: values take their own direction', () => {
    expect(textRuns('07:25 +1', value('ar'))).toEqual([{ face: 'latin', text: '07:25 +1', whole: false }]);
    expect(textRuns('KL 1234', value('ar'))).toEqual([{ face: 'latin', text: 'KL 1234', whole: false }]);
  });

  it('reads an Arabic name right to left on any page', () => {
    expect(textRuns(SAMPLE_NAMES.arabic, value('en'))).toEqual([{ face: 'arabic', text: SAMPLE_NAMES.arabic, whole: true }]);
  });
});
