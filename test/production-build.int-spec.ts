import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findProjectRoot } from '../src/config/project-root';
import { productionNodeFlags } from './support/production-start';

/**
 * `npm run build` and the Docker image compile tsconfig.prod.json: the service, CLI, migrations and demo, and
 * none of the test, bench or sample code. tsc follows imports out of `include`, so one `import` of a test
 * helper from src/ would pull it into dist/; this lists what the compiler would take (no output written).
 */
describe('production build', () => {
  const root = findProjectRoot(__dirname);
  let files: string[];

  beforeAll(() => {
    files = execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.prod.json', '--listFilesOnly'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((file) => file && !file.includes('/node_modules/'))
      .map((file) => relative(root, file));
  });

  it('is what nest build and the image compile', () => {
    expect(JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')).compilerOptions.tsConfigPath).toBe('tsconfig.prod.json');
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('tsc -p tsconfig.prod.json');
  });

  it('compiles the service, its migrations and the demo, and no test, bench, spec or sample file', () => {
    expect(files).toEqual(expect.arrayContaining(['src/main.ts', 'src/cli/main.ts', 'src/demo/main.ts', 'migrations/index.ts']));
    const foreign = files.filter((file) => /^(test|bench)\//.test(file) || /\.(spec|sample)\.ts$/.test(file) || /(^|\/)bench-[^/]*\.ts$/.test(file));
    expect(foreign).toEqual([]);
    expect(files.every((file) => file.startsWith('src/') || file.startsWith('migrations/'))).toBe(true);
  });

  it('starts the service with the same Node.js flags in the image and under npm run start:prod, flags this Node accepts', () => {
    const flags = productionNodeFlags(root);
    expect(flags).toContain('--heap-growing-percent=100'); // decision 0042
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...flags, 'dist/src/main.js']);
    // A V8 flag a later Node.js drops would stop the service at start ("bad option"): this Node must take them.
    expect(execFileSync(process.execPath, [...flags, '-p', '"ok"'], { encoding: 'utf8' }).trim()).toBe('ok');
  });
});
