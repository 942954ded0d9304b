import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { memoizeFontWork } from './fontkit-memo';

/** Which face draws a run of text: one per script family the pass can print. */
export type FaceId = 'latin' | 'arabic' | 'japanese' | 'chinese' | 'korean';
/** The faces for Han ideographs: one code point, three regional glyph forms (Han unification). */
export type HanFaceId = Extract<FaceId, 'japanese' | 'chinese' | 'korean'>;

/**
 * DejaVu Sans (Latin Extended, Greek, Cyrillic) draws everything that is not Arabic or CJK, as before;
 * IBM Plex Sans Arabic and the regional Noto Sans JP / SC / KR cuts draw the rest (docs/decisions/0022).
 * One weight each: bold is drawn as fill + stroke, since every embedded face costs its own subset
 * (glyph table build + compression) in every PDF. pdfkit embeds only the faces a document selects, so a
 * Latin-only pass still carries DejaVu alone.
 */
const FILES: Readonly<Record<FaceId, string>> = {
  latin: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  arabic: '@expo-google-fonts/ibm-plex-sans-arabic/400Regular/IBMPlexSansArabic_400Regular.ttf',
  japanese: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  chinese: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  korean: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
};

export const FACE_IDS = Object.keys(FILES) as FaceId[];

const parsed = new Map<FaceId, fontkit.Font>();

/**
 * The face's font, read and parsed on first use and kept for the process: handing pdfkit a Buffer
 * would re-parse the font (cmap, kerning tables) for every document, many times the cost of the page.
 * CJK files are 5–10 MB, so they are read only once a pass needs them.
 */
export function faceFont(face: FaceId): fontkit.Font {
  let font = parsed.get(face);
  if (!font) {
    const file = FILES[face];
    const loaded = fontkit.create(readFileSync(require.resolve(file)));
    if (!('layout' in loaded)) throw new Error(`${file} is a font collection, expected a single font`);
    font = memoizeFontWork(loaded);
    if (face === 'arabic') font = extractableRtlLigatures(font);
    parsed.set(face, font);
  }
  return font;
}

/**
 * Text extractors (pdf.js, poppler) read a right-to-left line in drawn order and reverse it, ligatures
 * included: a lam + alef maksura ligature whose ToUnicode entry is the logical "لى" comes out "ىل". pdfkit
 * writes a glyph's codePoints as its entry, so in right-to-left runs a ligature reports them in drawn order.
 */
function extractableRtlLigatures(font: fontkit.Font): fontkit.Font {
  const layout = font.layout.bind(font);
  const drawnOrder = new Map<fontkit.Glyph, fontkit.Glyph>();
  const reversed = (glyph: fontkit.Glyph): fontkit.Glyph => {
    let copy = drawnOrder.get(glyph);
    if (!copy) {
      copy = Object.create(glyph, { codePoints: { value: [...glyph.codePoints].reverse() } }) as fontkit.Glyph;
      drawnOrder.set(glyph, copy);
    }
    return copy;
  };
  font.layout = (text: string, features?: string[] | Record<string, boolean>): fontkit.GlyphRun => {
    const run = layout(text, features);
    if (run.direction !== 'rtl' || !run.glyphs.some((g) => g.codePoints.length > 1)) return run;
    // A copy with its getters (pdfkit reads advanceWidth after scaling positions): the memoised layout
    // shares its glyph array between calls.
    const copy = Object.create(Object.getPrototypeOf(run) as object, Object.getOwnPropertyDescriptors(run)) as fontkit.GlyphRun;
    copy.glyphs = run.glyphs.map((g) => (g.codePoints.length > 1 ? reversed(g) : g));
    return copy;
  };
  return font;
}

export function hasGlyph(face: FaceId, codePoint: number): boolean {
  return faceFont(face).hasGlyphForCodePoint(codePoint);
}

/** Selects the face in a document; the first selection adds the font, to be embedded as a subset. */
export function selectFace(doc: PDFKit.PDFDocument, face: FaceId): PDFKit.PDFDocument {
  // pdfkit 0.20 accepts a parsed fontkit font (PDFFontFactory.open checks for a layout() method) and caches
  // it per document under the family name; @types/pdfkit only lists file and buffer sources, hence the cast.
  // Each document still makes its own subset, so sharing the parsed font between documents is safe.
  return doc.font(faceFont(face) as unknown as PDFKit.Mixins.PDFFontSource, `BoardingPass-${face}`);
}

let latinAscent: number | undefined;

/** Where the baseline sits below the top of a line of `size` points: DejaVu's ascent, as every pass had. */
export function baselineOffset(size: number): number {
  if (latinAscent === undefined) latinAscent = faceFont('latin').ascent / faceFont('latin').unitsPerEm;
  return latinAscent * size;
}
