import { crc32, deflateSync } from 'node:zlib';

/** The module grid: data[row * size + col] is 1 for a dark module. */
export interface QrMatrix {
  size: number;
  data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A 1-bit greyscale PNG of a QR module matrix. qrcode's own PNG path paints every pixel as RGBA
 * and lets pngjs try five row filters, ~5-8 ms per code, more than the whole PDF; a bi-level image
 * of identical rows deflates to a few kB in a fraction of a millisecond and scans the same.
 * @param scale pixels per module; @param margin light modules around the symbol (quiet zone).
 */
export function qrMatrixToPng(matrix: QrMatrix, scale: number, margin: number): Buffer {
  const side = (matrix.size + 2 * margin) * scale;
  const rowBytes = Math.ceil(side / 8);
  // Each scanline: filter byte 0 (none), then pixels MSB first; in greyscale 1 is white.
  const raw = Buffer.alloc((rowBytes + 1) * side);
  for (let y = 0; y < side; y++) {
    const line = y * (rowBytes + 1);
    const row = Math.floor(y / scale) - margin;
    for (let x = 0; x < side; x++) {
      const col = Math.floor(x / scale) - margin;
      const dark = row >= 0 && row < matrix.size && col >= 0 && col < matrix.size && matrix.data[row * matrix.size + col] === 1;
      if (!dark) raw[line + 1 + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
