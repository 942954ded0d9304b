import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { memoizeFontWork } from './fontkit-memo';

interface DecodableGlyph extends fontkit.Glyph {
  _decode(): unknown;
}

function dejaVu(): fontkit.Font {
  const font = fontkit.create(readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));
  if (!('layout' in font)) throw new Error('expected a single font');
  return font;
}

describe('memoizeFontWork', () => {
  const glyph = (font: fontkit.Font, char: string) => font.glyphForCodePoint(char.codePointAt(0) ?? 0) as DecodableGlyph;

  it("decodes a glyph's outline once while it stays among the most recently used", () => {
    const font = memoizeFontWork(dejaVu(), 2);
    const a = glyph(font, 'A');
    const first = a._decode();
    expect(first).toBeTruthy();
    glyph(font, 'B')._decode();
    expect(a._decode()).toBe(first); // used again: now the most recent
    glyph(font, 'C')._decode(); // evicts B, the least recent
    expect(a._decode()).toBe(first);
  });

  it('keeps at most the given number of decoded outlines, so new glyphs do not grow the heap without end', () => {
    const font = memoizeFontWork(dejaVu(), 2);
    const a = glyph(font, 'A');
    const first = a._decode();
    glyph(font, 'B')._decode();
    glyph(font, 'C')._decode(); // A is the least recent: evicted
    const again = a._decode();
    expect(again).not.toBe(first);
    expect(again).toEqual(first); // decoded anew, the same outline
  });

  it('lays out a text once and hands each caller its own positions', () => {
    const font = memoizeFontWork(dejaVu());
    const one = font.layout('Boarding 12A');
    one.positions[0].xAdvance = -1; // pdfkit scales positions in place
    const two = font.layout('Boarding 12A');
    expect(two.positions[0].xAdvance).toBeGreaterThan(0);
    expect(two.glyphs).toBe(one.glyphs);
  });
});
