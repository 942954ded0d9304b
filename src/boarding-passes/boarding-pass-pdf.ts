import PDFDocument from 'pdfkit';
import { bcbpQrMatrix, QR_QUIET_ZONE_MODULES, type QrMatrix } from './bcbp-qr';
import { baselineOffset } from './boarding-pass-fonts';
import { boardingPassLabels, type BoardingPassLabels } from './boarding-pass-labels';
import { hanFaceFor, isRightToLeft } from './boarding-pass-text';
import { creationDate, dayShift, localTime, safeLocale } from './boarding-pass-time';
import type { BoardingPassPageView, BoardingPassView } from './boarding-pass-view';
import { LineWriter, type Style } from './boarding-pass-writer';

export type { BoardingPassView, BoardingPassPageView } from './boarding-pass-view';

export interface BoardingPassPdfOptions {
  /** Folder of the message catalogs (CATALOGS_DIR); default catalogs/ at the project root. */
  catalogsDir?: string;
}

/** A6 portrait (105 × 148 mm): prints on any printer and reads well full-screen on a phone. */
const PAGE = { width: 297.64, height: 419.53, margin: 18 };
const MM = 72 / 25.4;
/** Symbol side without quiet zone. 45 mm keeps a version 11 module at ~0.74 mm: scannable, > 40 mm. */
const QR_SIDE = 45 * MM;
const COLOR = { brand: '#0b3d91', text: '#111111', label: '#666666', white: '#ffffff' };

/**
 * One A6 page per entry of view.pages, with the boarding pass bar code drawn as vector rectangles
 * (no raster image to encode or scale). Labels come from the `boarding-pass` message catalog of
 * `locale` (English when there is none); a right-to-left language mirrors the page.
 * @param bcbp bar code content for pages that carry none of their own.
 */
export async function renderBoardingPassPdf(
  view: BoardingPassView,
  locale: string,
  bcbp?: string,
  options: BoardingPassPdfOptions = {},
): Promise<Buffer> {
  if (view.pages.length === 0) throw new Error('a boarding pass PDF needs at least one page');
  const contents = view.pages.map((page) => page.bcbp ?? bcbp ?? '');
  const missing = contents.indexOf('');
  if (missing >= 0) throw new Error(`page ${missing + 1} (${view.pages[missing].flightCode}) has no bar code content`);
  const lang = safeLocale(locale);
  const labels = boardingPassLabels(lang, options.catalogsDir);
  const first = view.pages[0];
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: [PAGE.width, PAGE.height],
    margin: 0,
    // '' skips pdfkit's default Helvetica, which it would otherwise load (AFM parse) for every document.
    font: '',
    info: {
      Title: `${first.flightCode} ${first.passengerName}`,
      Author: first.airlineName,
      Creator: 'flight-notifier',
      Producer: 'PDFKit',
      // Fixed from the data (never "now"): identical data gives identical bytes, so retries and
      // deduplication can compare PDFs. pdfkit also derives the file ID from this info.
      CreationDate: creationDate(view.issuedAt, first.departureTime),
    },
  });
  const done = collect(doc);
  const writer = new LineWriter(doc, hanFaceFor(lang), isRightToLeft(labels.boardingPass));
  view.pages.forEach((page, i) => {
    doc.addPage();
    drawPage(doc, new Page(writer), page, labels, lang, bcbpQrMatrix(contents[i]), view.issuedAt);
  });
  doc.end();
  return done;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

const LABEL: Style = { size: 7, color: COLOR.label };

/**
 * Places lines in boxes by their reading edges: `start` is the left edge in a left-to-right language and
 * the right edge in a right-to-left one, so the layout below is written once and mirrors itself.
 */
class Page {
  constructor(readonly w: LineWriter) {}

  /** Writes `text` against the start (or end) edge of the box [x, x + width]. */
  put(text: string, x: number, y: number, width: number, style: Style, kind: 'page' | 'value', edge: 'start' | 'end' = 'start'): void {
    const left = (edge === 'start') !== this.w.rtl;
    if (left) this.w.write(text, x, y, style, kind);
    else this.w.write(text, x + width - this.w.width(text, style, kind), y, style, kind);
  }

  /** Column `i` of `n` equal columns of the box, counted from the start edge, less a gutter at its end edge. */
  column(i: number, n: number, x: number, width: number, gutter: number): { x: number; width: number } {
    const step = width / n;
    return this.w.rtl ? { x: x + (n - 1 - i) * step + gutter, width: step - gutter } : { x: x + i * step, width: step - gutter };
  }
}

function drawPage(
  doc: PDFKit.PDFDocument,
  page: Page,
  p: BoardingPassPageView,
  l: BoardingPassLabels,
  locale: string,
  qr: QrMatrix,
  issuedAt: string | undefined,
): void {
  const { width, margin } = PAGE;
  const inner = width - 2 * margin;
  const { w } = page;

  doc.rect(0, 0, width, 44).fill(COLOR.brand);
  const title = l.boardingPass.toLocaleUpperCase(locale);
  const titleStyle: Style = { size: 8, color: COLOR.white };
  const titleWidth = w.width(title, titleStyle, 'page');
  page.put(title, margin, 18, inner, titleStyle, 'page', 'end');
  // A long title (CARTE D’EMBARQUEMENT) leaves less room: the airline name shrinks a little before it is cut.
  const airline = w.shrink(p.airlineName, { size: 13, color: COLOR.white, bold: true }, inner - titleWidth - 12, 'value', 10);
  page.put(airline.text, margin, 15 + (13 - airline.style.size) / 2, inner, airline.style, 'value');
  if (issuedAt) {
    const issued = localTime(issuedAt, p.originTimeZone, locale);
    // A bare date (no time of day) is printed as the date alone: midnight would be a time nobody issued it at.
    const when = issued.date ? (issuedAt.includes('T') ? `${issued.date} ${issued.time}` : issued.date) : issued.time;
    const issuedStyle: Style = { size: 6.5, color: COLOR.white };
    page.put(w.fit(`${l.issued} ${when}`, issuedStyle, titleWidth + 60, 'page'), margin, 30, inner, issuedStyle, 'page', 'end');
  }

  field(page, l.passenger, p.passengerName, margin, 54, inner, 13);
  drawRoute(page, p, l, margin, 92, inner);

  const departure = localTime(p.departureTime, p.originTimeZone, locale);
  const arrival = p.arrivalTime ? localTime(p.arrivalTime, p.destinationTimeZone, locale) : undefined;
  const boarding = p.boardingTime ? localTime(p.boardingTime, p.originTimeZone, locale) : undefined;
  const grid: [string, string][] = [
    [l.flight, p.flightCode],
    [l.date, departure.date || '—'],
    [l.departure, departure.time],
    [l.boarding, boarding?.time ?? '—'],
    [l.gate, p.gate ?? '—'],
    [l.group, p.boardingGroup ?? '—'],
    [l.seat, p.seat],
    [l.sequence, String(p.sequenceNumber).padStart(3, '0')],
    [l.arrival, arrival ? `${arrival.time} ${dayShift(departure, arrival)}`.trim() : '—'],
  ];
  grid.forEach(([label, value], i) => {
    const cell = page.column(i % 3, 3, margin, inner, 6);
    field(page, label, value, cell.x, 148 + Math.floor(i / 3) * 30, cell.width, 11);
  });

  const qrTop = 246;
  drawQr(doc, qr, (width - QR_SIDE) / 2, qrTop, QR_SIDE);
  drawWalletLinks(doc, page, p, l, qr, qrTop);

  const small: Style = { size: 7.5, color: COLOR.label };
  const item = (label: string, value: string | undefined): string | undefined => value && `${label} ${value}`;
  const lines = [
    [item(l.bookingReference, p.bookingReference), item(l.cabin, p.cabin), item(l.terminal, p.terminal)],
    [item(l.frequentFlyer, p.frequentFlyer), item(l.operatedBy, p.operatedBy)],
  ]
    .map((parts) => parts.filter((s): s is string => Boolean(s)).join('  ·  '))
    .filter((line) => line !== '');
  const footerTop = qrTop + QR_SIDE + 10;
  lines.forEach((line, i) => page.put(w.fit(line, small, inner, 'page'), margin, footerTop + i * 11, inner, small, 'page'));
}

/**
 * The wallet links beside the bar code: Apple's at the start edge, Google's at the end edge, each its localized
 * words (wrapped at spaces to the column) under one link annotation. They keep out of the bar code's quiet zone.
 */
function drawWalletLinks(doc: PDFKit.PDFDocument, page: Page, p: BoardingPassPageView, l: BoardingPassLabels, qr: QrMatrix, qrTop: number): void {
  const links = [
    { url: p.wallet?.applePassUrl, label: l.appleWallet },
    { url: p.wallet?.googleSaveUrl, label: l.googleWallet },
  ];
  if (!links.some((link) => link.url)) return;
  const { width, margin } = PAGE;
  const gap = (QR_SIDE / qr.size) * QR_QUIET_ZONE_MODULES + 4;
  const columnWidth = (width - QR_SIDE) / 2 - margin - gap;
  const style: Style = { size: 7.5, color: COLOR.brand };
  const lineHeight = 10;
  links.forEach((link, i) => {
    if (!link.url) return;
    const column = page.column(i, 2, 0, width, 0);
    // Column 0 is the start-edge side of the page: its box ends where the quiet zone begins, and the mirror for column 1.
    const x = column.x === 0 ? margin : width - margin - columnWidth;
    const lines = wrap(page.w, link.label, style, columnWidth);
    const top = qrTop + QR_SIDE / 2 - (lines.length * lineHeight) / 2;
    lines.forEach((line, n) => {
      const lineWidth = page.w.width(line, style, 'page');
      const lineX = x + (columnWidth - lineWidth) / 2;
      const y = top + n * lineHeight;
      page.w.write(line, lineX, y, style, 'page');
      doc.moveTo(lineX, y + 8.5).lineTo(lineX + lineWidth, y + 8.5).lineWidth(0.4).strokeColor(COLOR.brand).stroke();
    });
    doc.link(x, top - 2, columnWidth, lines.length * lineHeight + 4, link.url);
  });
}

/**
 * Words on as few lines as fit `width`. A word wider than a line (Japanese and Chinese write without spaces) is
 * broken between graphemes.
 */
function wrap(w: LineWriter, text: string, style: Style, width: number): string[] {
  const lines: string[] = [];
  const fits = (s: string) => w.width(s, style, 'page') <= width;
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && fits(`${last} ${word}`)) {
      lines[lines.length - 1] = `${last} ${word}`;
      continue;
    }
    let line = '';
    for (const { segment } of graphemes.segment(word)) {
      if (line !== '' && !fits(line + segment)) {
        lines.push(line);
        line = '';
      }
      line += segment;
    }
    lines.push(line);
  }
  return lines;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Big airport codes at the start and end edges, cities beneath, an arrow between in reading direction. */
function drawRoute(page: Page, p: BoardingPassPageView, l: BoardingPassLabels, x: number, y: number, w: number): void {
  const code: Style = { size: 24, color: COLOR.text, bold: true };
  const city: Style = { size: 8, color: COLOR.text };
  const arrow: Style = { size: 18, color: COLOR.brand };
  page.put(l.from, x, y, w, LABEL, 'page');
  page.put(l.to, x, y, w, LABEL, 'page', 'end');
  page.put(p.origin.code, x, y + 9, w, code, 'value');
  page.put(p.destination.code, x, y + 9, w, code, 'value', 'end');
  const sign = page.w.rtl ? '←' : '→';
  page.w.write(sign, x + w / 2 - page.w.width(sign, arrow, 'value') / 2, y + 13, arrow, 'value');
  page.put(page.w.fit(p.origin.city, city, w / 2 - 14, 'value'), x, y + 39, w, city, 'value');
  page.put(page.w.fit(p.destination.city, city, w / 2 - 14, 'value'), x, y + 39, w, city, 'value', 'end');
}

/** Small grey label over a bold value; a long value (a date in words, a long name) shrinks before it is cut. */
function field(page: Page, label: string, value: string, x: number, y: number, w: number, size: number): void {
  const fitted = page.w.shrink(value, { size, color: COLOR.text, bold: true }, w, 'value', size * 0.8);
  page.put(page.w.fit(label, LABEL, w, 'page'), x, y, w, LABEL, 'page');
  // Smaller type sits on the same baseline.
  page.put(fitted.text, x, y + 9 + baselineOffset(size) - baselineOffset(fitted.style.size), w, fitted.style, 'value');
}

/**
 * Dark modules as one path of horizontal runs, filled once: a few hundred rectangles instead of
 * thousands of squares, and no seams between neighbours since they fill as one shape. The page
 * layout keeps at least the 4-module quiet zone around it white.
 */
function drawQr(doc: PDFKit.PDFDocument, qr: QrMatrix, x: number, y: number, side: number): void {
  const m = side / qr.size;
  if (m * QR_QUIET_ZONE_MODULES > x) throw new Error('QR symbol leaves no quiet zone on this page');
  // The runs go to the page as one piece of content, the very operators doc.rect() writes one call at a time
  // (whole numbers need none of its rounding): one string instead of a string and a byte array per run, which
  // made this the largest allocator of a pass (≈ 210 kB of its ≈ 1.4 MB, docs/decisions/0046).
  const runs: string[] = [];
  for (let row = 0; row < qr.size; row++) {
    let col = 0;
    while (col < qr.size) {
      if (!qr.data[row * qr.size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < qr.size && qr.data[row * qr.size + col]) col++;
      runs.push(`${start} ${row} ${col - start} 1 re`);
    }
  }
  // Drawn in module units under a transform: "3 5 7 1 re" instead of long fractional coordinates
  // keeps the content stream (and its compression) small.
  doc.save().translate(x, y).scale(m);
  if (runs.length > 0) doc.addContent(runs.join('\n'));
  doc.fill('#000000').restore();
}
