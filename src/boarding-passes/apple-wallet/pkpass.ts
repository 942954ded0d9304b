import { createHash } from 'node:crypto';
import { ZipFile } from 'yazl';

/** The content type Wallet opens (https://developer.apple.com/documentation/walletpasses/distributing-and-updating-a-pass). */
export const PKPASS_CONTENT_TYPE = 'application/vnd.apple.pkpass';

/** manifest.json: every file of the pass (except manifest and signature) with the SHA-1 of its bytes, as Wallet checks. */
export function buildManifest(files: ReadonlyMap<string, Buffer>): Buffer {
  const manifest: Record<string, string> = {};
  for (const name of [...files.keys()].sort()) {
    manifest[name] = createHash('sha1').update(files.get(name)!).digest('hex');
  }
  return Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
}

/**
 * The .pkpass: a zip of the files, manifest.json and signature at the archive's root. Entries are in name order
 * with a fixed modification time, so the same pass makes the same bytes.
 */
export function zipPass(entries: ReadonlyMap<string, Buffer>, mtime: Date): Promise<Buffer> {
  const zip = new ZipFile();
  for (const name of [...entries.keys()].sort()) zip.addBuffer(entries.get(name)!, name, { mtime, compress: true });
  zip.end();
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
