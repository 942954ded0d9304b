import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Walks up to the folder holding package.json: works from src/ (ts-jest) and from dist/src/ (nest build). */
export function findProjectRoot(startDir: string = __dirname): string {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json found above ${startDir}`);
    dir = parent;
  }
}

/** Relative folders in the configuration are taken from the project root, not from wherever the process started. */
export function projectPath(path: string): string {
  return isAbsolute(path) ? path : resolve(findProjectRoot(), path);
}
