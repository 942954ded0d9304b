import { PNG } from 'pngjs';
import { qrMatrixToPng, type QrMatrix } from './qr-png';

/** A module grid with a fixed pseudo-random pattern (no two rows alike), so a misplaced row or column shows. */
function pattern(size: number): QrMatrix {
  const data = new Uint8Array(size * size);
  let state = 12345;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    data[i] = state % 3 === 0 ? 1 : 0;
  }
  return { size, data };
}

describe('qrMatrixToPng', () => {
  // Odd sides (not a multiple of 8 pixels) exercise the padding bits at the end of each scanline.
  it.each([
    [21, 6, 4],
    [25, 1, 0],
    [29, 3, 2],
    [53, 5, 4],
  ])('paints a %i-module grid at %i px per module with a %i-module margin, pixel for pixel', (size, scale, margin) => {
    const matrix = pattern(size);
    const image = PNG.sync.read(qrMatrixToPng(matrix, scale, margin)); // pngjs checks every chunk's CRC
    const side = (size + 2 * margin) * scale;
    expect(image.width).toBe(side);
    expect(image.height).toBe(side);
    let wrong = 0;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const row = Math.floor(y / scale) - margin;
        const col = Math.floor(x / scale) - margin;
        const dark = row >= 0 && col >= 0 && row < size && col < size && matrix.data[row * size + col] === 1;
        if (image.data[(y * side + x) * 4] !== (dark ? 0 : 255)) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });
});
