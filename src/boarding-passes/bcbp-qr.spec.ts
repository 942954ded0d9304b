import { generateKeyPairSync } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { encodeBcbp } from './bcbp-encoder';
import { bcbpQrMatrix, bcbpQrPng, bcbpQrSvg, renderBcbpQr, QR_QUIET_ZONE_MODULES, type QrMatrix } from './bcbp-qr';
import { signBcbp } from './bcbp-signature';
import { sampleBoardingPassData } from './boarding-pass.sample';

function readPng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

/** Paints the module matrix as the PDF does (dark squares, 4-module quiet zone) and scans it. */
function readMatrix(matrix: QrMatrix, scale = 4): string | undefined {
  const side = (matrix.size + 2 * QR_QUIET_ZONE_MODULES) * scale;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / scale) - QR_QUIET_ZONE_MODULES;
      const col = Math.floor(x / scale) - QR_QUIET_ZONE_MODULES;
      const inside = row >= 0 && col >= 0 && row < matrix.size && col < matrix.size;
      if (inside && matrix.data[row * matrix.size + col]) rgba.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return jsQR(rgba, side, side)?.data;
}

describe('BCBP QR code', () => {
  const unsigned = encodeBcbp(sampleBoardingPassData());
  const { privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const signed = signBcbp(unsigned, privateKey);

  it.each([
    ['unsigned', unsigned],
    ['signed', signed],
  ])('PNG of the %s pass scans back to exactly the BCBP string', async (_kind, bcbp) => {
    const png = await bcbpQrPng(bcbp);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const { width, height } = PNG.sync.read(png); // pngjs checks every chunk CRC
    expect(width).toBe((bcbpQrMatrix(bcbp).size + 2 * QR_QUIET_ZONE_MODULES) * 6);
    expect(height).toBe(width);
    expect(readPng(png)).toBe(bcbp);
  });

  it('keeps trailing spaces of the BCBP in the code', async () => {
    expect(unsigned.endsWith(' ')).toBe(true);
    expect(readPng(await bcbpQrPng(unsigned))).toBe(unsigned);
  });

  it('gives the module matrix the PDF draws, which scans back too', () => {
    const matrix = bcbpQrMatrix(signed);
    expect(matrix.data).toHaveLength(matrix.size * matrix.size);
    expect((matrix.size - 17) % 4).toBe(0); // 4 × version + 17 modules
    expect(readMatrix(matrix)).toBe(signed);
  });

  it('renders SVG with the same symbol size', async () => {
    const svg = await bcbpQrSvg(unsigned);
    expect(svg).toMatch(/^<svg/);
    const size = bcbpQrMatrix(unsigned).size + 2 * QR_QUIET_ZONE_MODULES;
    expect(svg).toContain(`viewBox="0 0 ${size} ${size}"`);
  });

  it('renders both images at once', async () => {
    const { png, svg } = await renderBcbpQr(unsigned);
    expect(readPng(png)).toBe(unsigned);
    expect(svg).toContain('<path');
  });
});
