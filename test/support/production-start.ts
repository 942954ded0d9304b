import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node.js flags `npm run start:prod` gives the service (`node <flags> dist/src/main.js`): the one place they are
 * written for local runs, read by the bench so it measures the service as it is started; the Dockerfile's CMD
 * must carry the same (test/production-build.int-spec.ts).
 */
export function productionNodeFlags(projectRoot: string): string[] {
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...words] = manifest.scripts['start:prod'].split(/\s+/);
  if (command !== 'node') throw new Error(`start:prod does not run node: ${manifest.scripts['start:prod']}`);
  return words.slice(0, words.findIndex((word) => !word.startsWith('--')));
}
