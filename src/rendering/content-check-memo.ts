import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Remembers that the content checks passed for exactly these inputs: every file of the catalogs, the
 * layouts and the rendering code, the SMS budget, and the Node and ICU versions (dates are formatted
 * by ICU). Any change is a new key and a full check, so a bad catalog is still refused at start-up;
 * an unchanged one is not checked again by every replica, test and CLI start (about 2 s of CPU each).
 */
export class ContentCheckMemo {
  private readonly file: string;

  constructor(folders: readonly string[], settings: string) {
    const hash = createHash('sha256').update(`${process.versions.node} ${process.versions.icu} ${settings}\n`);
    for (const folder of folders) hashFolder(hash, folder);
    this.file = join(tmpdir(), 'flight-notifier-content-checks', hash.digest('hex'));
  }

  passedBefore(): boolean {
    return existsSync(this.file);
  }

  /** Best effort: a read-only temp folder only means checking again next time. */
  remember(): void {
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      writeFileSync(this.file, new Date().toISOString());
    } catch {
      // nothing to do
    }
  }
}

function hashFolder(hash: ReturnType<typeof createHash>, folder: string): void {
  for (const name of readdirSync(folder).sort()) {
    if (name.endsWith('.spec.ts') || name.endsWith('.spec.js') || name.endsWith('.map')) continue;
    const path = join(folder, name);
    if (statSync(path).isDirectory()) hashFolder(hash, path);
    else hash.update(`${path.slice(folder.length)}\n`).update(readFileSync(path));
  }
}
