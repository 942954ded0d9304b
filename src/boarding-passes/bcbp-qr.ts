import QRCode, { type QRCodeErrorCorrectionLevel } from 'qrcode';
import { qrMatrixToPng, type QrMatrix } from './qr-png';
import { rememberRecent } from '../common/remember-recent';

export type { QrMatrix } from './qr-png';

/**
 * Level M (about 15% of codewords recoverable). Resolution 792 allows QR for mobile boarding passes
 * without fixing a level; M is the usual middle ground for codes shown on phone screens: it survives
 * glare, a cracked screen or a partly covered symbol at the gate reader, while a ~160-230 character
 * BCBP (signed) still fits QR version 9-11, whose modules stay large enough on a small screen. Q/H
 * would push the symbol to denser versions for little gain on a backlit display.
 */
export const BCBP_QR_ERROR_CORRECTION: QRCodeErrorCorrectionLevel = 'M';

/** ISO/IEC 18004 asks for a 4-module light margin (quiet zone) around the symbol. */
export const QR_QUIET_ZONE_MODULES = 4;
/** PNG pixels per module: a ~60-module symbol becomes ~400 px, sharp on any phone. */
const PNG_SCALE = 6;

/**
 * Recently built matrices. BoardingPassService asks for the same code twice (PNG and PDF), and a
 * signed code (QR version 10) costs about 1 ms to build, mostly choosing the mask.
 */
const recent = new Map<string, QrMatrix>();
const RECENT_MAX = 32;

/** The module matrix (shared with a small cache: read it, do not modify it). */
export function bcbpQrMatrix(bcbp: string): QrMatrix {
  return rememberRecent(recent, bcbp, RECENT_MAX, () => {
    const modules = QRCode.create(bcbp, { errorCorrectionLevel: BCBP_QR_ERROR_CORRECTION }).modules;
    return { size: modules.size, data: modules.data };
  });
}

/** PNG from qrcode's module matrix via qr-png.ts (a bi-level PNG, ~20x faster than QRCode.toBuffer). */
export async function bcbpQrPng(bcbp: string): Promise<Buffer> {
  return qrMatrixToPng(bcbpQrMatrix(bcbp), PNG_SCALE, QR_QUIET_ZONE_MODULES);
}

export function bcbpQrSvg(bcbp: string): Promise<string> {
  return QRCode.toString(bcbp, {
    type: 'svg',
    errorCorrectionLevel: BCBP_QR_ERROR_CORRECTION,
    margin: QR_QUIET_ZONE_MODULES,
  });
}

/** Both images at once, for channels that want a PNG attachment and an inline SVG. */
export async function renderBcbpQr(bcbp: string): Promise<{ png: Buffer; svg: string }> {
  const [png, svg] = await Promise.all([bcbpQrPng(bcbp), bcbpQrSvg(bcbp)]);
  return { png, svg };
}
