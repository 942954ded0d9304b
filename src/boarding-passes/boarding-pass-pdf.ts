import PDFDocument from 'pdfkit';
import { bcbpQrMatrix, QR_QUIET_ZONE_MODULES, type QrMatrix } from './bcbp-qr';
import { FONT, registerBoardingPassFonts } from './boarding-pass-fonts';
import { boardingPassLabels, type BoardingPassLabels } from './boarding-pass-labels';
import { creationDate, dayShift, localTime, safeLocale } from './boarding-pass-time';
import type { BoardingPassPageView, BoardingPassView } from './boarding-pass-view';

export type { BoardingPassView, BoardingPassPageView } from './boarding-pass-view';

/** A6 portrait (105 × 148 mm): prints on any printer and reads well full-screen on a phone. */
const PAGE = { width: 297.64, height: 419.53, margin: 18 };
const MM = 72 / 25.4;
/** Symbol side without quiet zone. 45 mm keeps a version 11 module at ~0.74 mm: scannable, > 40 mm. */
const QR_SIDE = 45 * MM;
const COLOR = { brand: '#0b3d91', text: '#111111', label: '#666666', white: '#ffffff' };
/** Stroke width per point of font size for the bold look; 4% of the em reads as semi-bold. */
const BOLD_STROKE = 0.04;

/**
 * One A6 page per entry of view.pages, with the boarding pass bar code drawn as vector rectangles
 * (no raster image to encode or scale). Labels follow `locale` (en, nl; English otherwise).
 * @param bcbp bar code content for pages that carry none of their own.
 */
export async function renderBoardingPassPdf(view: BoardingPassView, locale: string, bcbp?: string): Promise<Buffer> {
  if (view.pages.length === 0) throw new Error('a boarding pass PDF needs at least one page');
  const contents = view.pages.map((page) => page.bcbp ?? bcbp ?? '');
  const missing = contents.indexOf('');
  if (missing >= 0) throw new Error(`page ${missing + 1} (${view.pages[missing].flightCode}) has no bar code content`);
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
  registerBoardingPassFonts(doc);
  const lang = safeLocale(locale);
  const labels = boardingPassLabels(lang);
  view.pages.forEach((page, i) => {
    doc.addPage();
    drawPage(doc, page, labels, lang, bcbpQrMatrix(contents[i]));
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

interface Style {
  size: number;
  color: string;
  bold?: boolean;
}
const LABEL: Style = { size: 7, color: COLOR.label };

function drawPage(
  doc: PDFKit.PDFDocument,
  p: BoardingPassPageView,
  l: BoardingPassLabels,
  locale: string,
  qr: QrMatrix,
): void {
  const { width, margin } = PAGE;
  const inner = width - 2 * margin;

  doc.rect(0, 0, width, 44).fill(COLOR.brand);
  const title = l.boardingPass.toUpperCase();
  const titleStyle: Style = { size: 8, color: COLOR.white };
  const titleWidth = measure(doc, title, titleStyle);
  write(doc, title, width - margin - titleWidth, 18, titleStyle);
  const airline: Style = { size: 13, color: COLOR.white, bold: true };
  write(doc, fitText(doc, p.airlineName, airline, inner - titleWidth - 12), margin, 15, airline);

  field(doc, l.passenger, p.passengerName, margin, 54, inner, 13);
  drawRoute(doc, p, l, margin, 92, inner);

  const departure = localTime(p.departureTime, p.originTimeZone, locale);
  const arrival = p.arrivalTime ? localTime(p.arrivalTime, p.destinationTimeZone, locale) : undefined;
  const boarding = p.boardingTime ? localTime(p.boardingTime, p.originTimeZone, locale) : undefined;
  const col = inner / 3;
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
    field(doc, label, value, margin + (i % 3) * col, 148 + Math.floor(i / 3) * 30, col - 6, 11);
  });

  const qrTop = 246;
  drawQr(doc, qr, (width - QR_SIDE) / 2, qrTop, QR_SIDE);

  const small: Style = { size: 7.5, color: COLOR.label };
  const item = (label: string, value: string | undefined): string | undefined => value && `${label} ${value}`;
  const lines = [
    [item(l.bookingReference, p.bookingReference), item(l.cabin, p.cabin), item(l.terminal, p.terminal)],
    [item(l.frequentFlyer, p.frequentFlyer), item(l.operatedBy, p.operatedBy)],
  ]
    .map((parts) => parts.filter((s): s is string => Boolean(s)).join('  ·  '))
    .filter((line) => line !== '');
  const footerTop = qrTop + QR_SIDE + 10;
  lines.forEach((line, i) => write(doc, fitText(doc, line, small, inner), margin, footerTop + i * 11, small));
}

/** Big airport codes left and right, cities beneath, an arrow between. */
function drawRoute(
  doc: PDFKit.PDFDocument,
  p: BoardingPassPageView,
  l: BoardingPassLabels,
  x: number,
  y: number,
  w: number,
): void {
  const code: Style = { size: 24, color: COLOR.text, bold: true };
  const city: Style = { size: 8, color: COLOR.text };
  const arrow: Style = { size: 18, color: COLOR.brand };
  const right = (text: string, style: Style): number => x + w - measure(doc, text, style);
  write(doc, l.from, x, y, LABEL);
  write(doc, l.to, right(l.to, LABEL), y, LABEL);
  write(doc, p.origin.code, x, y + 9, code);
  write(doc, p.destination.code, right(p.destination.code, code), y + 9, code);
  write(doc, '→', x + w / 2 - measure(doc, '→', arrow) / 2, y + 13, arrow);
  const from = fitText(doc, p.origin.city, city, w / 2 - 14);
  const to = fitText(doc, p.destination.city, city, w / 2 - 14);
  write(doc, from, x, y + 39, city);
  write(doc, to, right(to, city), y + 39, city);
}

/** Small grey label over a bold value. */
function field(doc: PDFKit.PDFDocument, label: string, value: string, x: number, y: number, w: number, size: number): void {
  const valueStyle: Style = { size, color: COLOR.text, bold: true };
  write(doc, fitText(doc, label, LABEL, w), x, y, LABEL);
  write(doc, fitText(doc, value, valueStyle, w), x, y + 9, valueStyle);
}

function write(doc: PDFKit.PDFDocument, text: string, x: number, y: number, style: Style): void {
  doc.font(FONT).fontSize(style.size).fillColor(style.color);
  // lineBreak: false skips pdfkit's line wrapper: positions are absolute and every string is pre-fitted.
  if (!style.bold) {
    doc.text(text, x, y, { lineBreak: false });
    return;
  }
  // Bold as fill + stroke of the regular face (text render mode 2): one embedded font per PDF.
  doc.strokeColor(style.color).lineWidth(style.size * BOLD_STROKE);
  doc.text(text, x, y, { lineBreak: false, fill: true, stroke: true });
}

function measure(doc: PDFKit.PDFDocument, text: string, style: Style): number {
  return doc.font(FONT).fontSize(style.size).widthOfString(text);
}

/** Shortens with an ellipsis so long names and cities never run into the next column. */
function fitText(doc: PDFKit.PDFDocument, text: string, style: Style, width: number): string {
  const full = measure(doc, text, style);
  if (full <= width) return text;
  const chars = Array.from(text);
  const cut = (n: number): string => `${chars.slice(0, n).join('').trimEnd()}…`;
  // Start from a proportional guess so a long string costs a few measurements, not one per character.
  let n = Math.max(1, Math.floor((chars.length * width) / full));
  while (n > 1 && measure(doc, cut(n), style) > width) n--;
  return cut(n);
}

/**
 * Dark modules as one path of horizontal runs, filled once: a few hundred rectangles instead of
 * thousands of squares, and no seams between neighbours since they fill as one shape. The page
 * layout keeps at least the 4-module quiet zone around it white.
 */
function drawQr(doc: PDFKit.PDFDocument, qr: QrMatrix, x: number, y: number, side: number): void {
  const m = side / qr.size;
  if (m * QR_QUIET_ZONE_MODULES > x) throw new Error('QR symbol leaves no quiet zone on this page');
  // Drawn in module units under a transform: "3 5 7 1 re" instead of long fractional coordinates
  // keeps the content stream (and its compression) small.
  doc.save().translate(x, y).scale(m);
  for (let row = 0; row < qr.size; row++) {
    let col = 0;
    while (col < qr.size) {
      if (!qr.data[row * qr.size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < qr.size && qr.data[row * qr.size + col]) col++;
      doc.rect(start, row, col - start, 1);
    }
  }
  doc.fill('#000000').restore();
}
