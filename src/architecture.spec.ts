import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The dependency rules of .dependency-cruiser.cjs (docs/architecture.md), inside `npm test`. dependency-cruiser's
 * API is ES modules only, which jest's CommonJS runtime cannot import, so this runs its command line, as
 * `npm run lint:deps` does, and reads its JSON report.
 */
const ROOT = join(__dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Rule {
  name: string;
  from: { path?: string; pathNot?: string };
  to: { path?: string; pathNot?: string };
}
interface Report {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  summary: { violations: { rule: { name: string }; from: string; to: string }[]; ruleSetUsed: { forbidden: Rule[] } };
}

function cruise(cwd: string): Report {
  const run = spawnSync(process.execPath, [CLI, 'src', '--config', CONFIG, '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!run.stdout) throw new Error(`dependency-cruiser gave no report (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Report;
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  let report: Report;
  beforeAll(() => {
    report = cruise(ROOT);
  });

  it('src/ breaks none of them', () => {
    const violations = report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
  });

  it('no rule has an exception: every layer rule applies to every file of its layer', () => {
    const layerRules = report.summary.ruleSetUsed.forbidden.filter((r) => r.name.startsWith('layer-'));
    expect(layerRules.map((r) => r.name)).toEqual([
      'layer-vocabulary',
      'layer-platform',
      'layer-core',
      'layer-ingest',
      'layer-bookings',
      'layer-flights',
      'layer-checkins-privacy',
      'layer-opt-out',
      'layer-channels',
      'layer-delivery',
    ]);
    const excepted = layerRules.filter((r) => r.from.pathNot !== undefined || r.to.pathNot !== undefined).map((r) => r.name);
    expect(excepted).toEqual([]);
  });

  it('an import from a lower layer to a higher one is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layers-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      write('tsconfig.json', '{}');
      write('src/delivery/sender.ts', 'export const sender = 1;\n');
      write('src/config/settings.ts', "import { sender } from '../delivery/sender';\nexport const settings = sender;\n");
      write('src/bookings/handler.ts', "import { settings } from '../config/settings';\nexport const handler = settings;\n");
      const found = cruise(dir).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
      expect(found).toEqual(['layer-vocabulary: src/config/settings.ts → src/delivery/sender.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
