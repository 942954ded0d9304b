import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { memoizeFontWork } from './fontkit-memo';

/** The name the PDF code uses with doc.font(). */
export const FONT = 'DejaVuSans';

/**
 * DejaVu Sans covers Latin Extended, Greek and Cyrillic, so ü, é, ł, ø print as booked.
 * One face only: every embedded face costs its own subset (glyph table build + compression) in
 * every PDF, and a second face cost ~25% of the render time; bold is drawn with fill + stroke.
 * The file is read and parsed once per process: handing pdfkit a Buffer would re-parse the 700 kB
 * font (cmap, kerning tables) for every document, ~6x the cost of rendering the page.
 */
const FILE = 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf';

let parsed: fontkit.Font | undefined;

function font(): fontkit.Font {
  if (!parsed) {
    const loaded = fontkit.create(readFileSync(require.resolve(FILE)));
    if (!('layout' in loaded)) throw new Error(`${FILE} is a font collection, expected a single font`);
    parsed = memoizeFontWork(loaded);
  }
  return parsed;
}

/** Makes the shared font available in a document under FONT. */
export function registerBoardingPassFonts(doc: PDFKit.PDFDocument): void {
  // pdfkit 0.20 accepts a parsed fontkit font (PDFFontFactory.open checks for a layout() method);
  // @types/pdfkit only lists file and buffer sources, hence the cast. Each document still makes its
  // own subset, so sharing the parsed font between documents is safe.
  doc.registerFont(FONT, font() as unknown as PDFKit.Mixins.PDFFontSource);
}
