import type { Font, Glyph, GlyphPosition, GlyphRun } from 'fontkit';

/**
 * Per-process memoisation on a fontkit font that this module alone owns (parsed once, shared by all
 * boarding pass PDFs). pdfkit otherwise repeats two costly steps for every document, about 40% of a
 * render:
 *  - shaping the same strings (labels, times, codes) through GSUB/GPOS: layout() results are cached;
 *  - decoding each used glyph's outline while building the font subset, only to see whether it is
 *    a composite: the _decode() results of the glyphs used most recently are cached.
 * Relies on fontkit 2.0.x internals (TTFGlyph._decode), pinned with --save-exact; only for static
 * TrueType fonts (no variation axes, whose decoded points depend on the chosen instance).
 */
interface DecodableGlyph extends Glyph {
  _decode(): unknown;
}

const MAX_CACHED_LAYOUTS = 5000;
/**
 * A decoded CJK outline holds ≈ 7–8 kB, and names bring new ideographs without end: kept for every glyph
 * ever drawn, a render thread's heap grew by ≈ 50 MB per 6,000 distinct ideographs (decision 0040). A pass
 * draws well under a hundred glyphs, its labels' the same in every pass, so the most recent 2,048 per font
 * keep nearly every hit.
 */
export const MAX_DECODED_GLYPHS = 2048;
const memoized = new WeakSet<Font>();

export function memoizeFontWork(font: Font, maxDecodedGlyphs = MAX_DECODED_GLYPHS): Font {
  if (memoized.has(font)) return font;
  memoized.add(font);

  const getGlyph = font.getGlyph.bind(font);
  const wrapped = new WeakSet<Glyph>();
  // In order of last use, least recent first: a Map keeps insertion order.
  const decoded = new Map<Glyph, unknown>();
  // Assigned on the instance, so fontkit's own this.getGlyph() calls go through it as well.
  font.getGlyph = (id: number, codePoints?: number[]): Glyph => {
    const glyph = getGlyph(id, codePoints) as DecodableGlyph;
    if (!wrapped.has(glyph)) {
      wrapped.add(glyph);
      const decode = glyph._decode.bind(glyph);
      glyph._decode = () => {
        if (decoded.has(glyph)) {
          const value = decoded.get(glyph);
          decoded.delete(glyph);
          decoded.set(glyph, value);
          return value;
        }
        const value = decode();
        decoded.set(glyph, value);
        if (decoded.size > maxDecodedGlyphs) decoded.delete(decoded.keys().next().value as Glyph);
        return value;
      };
    }
    return glyph;
  };

  const layout = font.layout.bind(font);
  const runs = new Map<string, GlyphRun>();
  font.layout = (text: string, features?: string[] | Record<string, boolean>): GlyphRun => {
    const key = `${JSON.stringify(features ?? null)}\u0000${text}`;
    let run = runs.get(key);
    if (!run) {
      if (runs.size >= MAX_CACHED_LAYOUTS) runs.clear();
      run = layout(text, features);
      runs.set(key, run);
    }
    return freshCopy(run);
  };
  return font;
}

/** pdfkit scales the positions of the run it gets in place, so each caller needs its own copies. */
function freshCopy(run: GlyphRun): GlyphRun {
  const positions: GlyphPosition[] = run.positions.map((p) => ({
    xAdvance: p.xAdvance,
    yAdvance: p.yAdvance,
    xOffset: p.xOffset,
    yOffset: p.yOffset,
  }));
  return {
    ...run,
    positions,
    // A getter like fontkit's: pdfkit reads it after scaling the positions.
    get advanceWidth(): number {
      let width = 0;
      for (const p of positions) width += p.xAdvance;
      return width;
    },
  };
}
