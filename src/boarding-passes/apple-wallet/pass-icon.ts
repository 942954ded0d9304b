import { qrMatrixToPng } from '../qr-png';

/**
 * The pass's icon (icon.png, 29 × 29 points; icon@2x.png for Retina): Wallet shows it on the lock screen and
 * in notifications, and a pass without one does not install. A plain mark drawn here, deterministic, so the
 * manifest hash never changes and no binary file ships in the repository.
 */
export function passIcon(scale: 1 | 2 | 3): Buffer {
  const size = 29;
  const data = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // A rounded square with a light horizontal band: a boarding-pass stub.
      const edge = Math.min(x, y, size - 1 - x, size - 1 - y);
      const corner = (x < 3 || x > size - 4) && (y < 3 || y > size - 4) && Math.hypot(x < 3 ? 3 - x : x - (size - 4), y < 3 ? 3 - y : y - (size - 4)) > 3;
      const band = y >= 12 && y <= 16 && edge >= 3;
      data[y * size + x] = !corner && !band ? 1 : 0;
    }
  }
  return qrMatrixToPng({ size, data }, scale, 0);
}
