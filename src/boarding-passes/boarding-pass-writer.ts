import { baselineOffset, selectFace } from './boarding-pass-fonts';
import { textRuns, type TextRun, type TextSetting } from './boarding-pass-text';
import type { HanFaceId } from './boarding-pass-fonts';

export interface Style {
  size: number;
  color: string;
  bold?: boolean;
}

/** Stroke width per point of font size for the bold look; 4% of the em reads as semi-bold. */
const BOLD_STROKE = 0.04;
/** pdfkit lays each run out as a whole when given features; [] adds none beyond the script's defaults. */
const SHAPE_WHOLE: PDFKit.Mixins.OpenTypeFeatures[] = [];

/**
 * Draws and measures single lines at absolute positions, each run in the face its script needs and all
 * on one baseline (faces differ in ascent: DejaVu 0.93 em, Noto CJK 1.16, Plex Arabic 1.03).
 * `page`: the document's own text (labels), set in its language's direction; `value`: data such as
 * names and codes, whose direction follows their first strong character.
 */
export class LineWriter {
  private readonly page: TextSetting;
  private readonly value: TextSetting;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    han: HanFaceId,
    readonly rtl: boolean,
  ) {
    this.page = { han, direction: rtl ? 'rtl' : 'ltr' };
    this.value = { han, direction: 'auto' };
  }

  setting(kind: 'page' | 'value'): TextSetting {
    return kind === 'page' ? this.page : this.value;
  }

  width(text: string, style: Style, kind: 'page' | 'value'): number {
    let width = 0;
    for (const run of textRuns(text, this.setting(kind))) width += this.runWidth(run, style);
    return width;
  }

  write(text: string, x: number, y: number, style: Style, kind: 'page' | 'value'): void {
    const baseline = y + baselineOffset(style.size);
    let cursor = x;
    const runs = textRuns(text, this.setting(kind));
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i];
      selectFace(this.doc, run.face).fontSize(style.size).fillColor(style.color);
      // lineBreak: false skips pdfkit's line wrapper: positions are absolute and every string is pre-fitted.
      const options: PDFKit.Mixins.TextOptions = { lineBreak: false, baseline: 'alphabetic', features: run.whole ? SHAPE_WHOLE : undefined };
      if (style.bold) {
        // Bold as fill + stroke of the regular face (text render mode 2): one embedded font per script.
        this.doc.strokeColor(style.color).lineWidth(style.size * BOLD_STROKE);
        Object.assign(options, { fill: true, stroke: true });
      }
      this.doc.text(run.text, cursor, baseline, options);
      if (i < runs.length - 1) cursor += this.runWidth(run, style);
    }
  }

  /** Shortens with an ellipsis (at the logical end) so long names and cities never run into the next column. */
  fit(text: string, style: Style, width: number, kind: 'page' | 'value'): string {
    const full = this.width(text, style, kind);
    if (full <= width) return text;
    // Whole graphemes: a base letter keeps its accents, a Hangul syllable its jamo.
    const chars = Array.from(graphemes.segment(text), (s) => s.segment);
    const cut = (n: number): string => `${chars.slice(0, n).join('').trimEnd()}…`;
    // Start from a proportional guess so a long string costs a few measurements, not one per character.
    let n = Math.max(1, Math.floor((chars.length * width) / full));
    while (n > 1 && this.width(cut(n), style, kind) > width) n--;
    return cut(n);
  }

  /** The largest size down to `minSize` at which `text` fits, with an ellipsis if it still does not. */
  shrink(text: string, style: Style, width: number, kind: 'page' | 'value', minSize: number): { text: string; style: Style } {
    let sized = style;
    while (sized.size > minSize && this.width(text, sized, kind) > width) {
      sized = { ...sized, size: Math.max(minSize, sized.size - 0.5) };
    }
    return { text: this.fit(text, sized, width, kind), style: sized };
  }

  private runWidth(run: TextRun, style: Style): number {
    const key = `${run.face}|${run.whole ? 'w' : ''}|${run.text}`;
    let perMille = widths.get(key);
    if (perMille === undefined) {
      // pdfkit's own measure at 1000 pt: the width at any size is this times size / 1000, as pdfkit scales it.
      perMille = selectFace(this.doc, run.face)
        .fontSize(1000)
        .widthOfString(run.text, { features: run.whole ? SHAPE_WHOLE : undefined });
      if (widths.size >= MAX_CACHED_WIDTHS) widths.clear();
      widths.set(key, perMille);
    }
    return perMille * (style.size / 1000);
  }
}

/**
 * Widths of runs at 1000 pt, shared by all documents: every text is measured before it is drawn (fitting,
 * right alignment, the next run's position), and labels and codes repeat from pass to pass.
 */
const MAX_CACHED_WIDTHS = 5_000;
const widths = new Map<string, number>();

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
