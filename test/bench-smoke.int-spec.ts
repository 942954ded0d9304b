import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot } from '../src/config/project-root';

/**
 * The benchmark still works: its smoke version (BENCH_SCALE=0.02) runs every scenario against the real
 * servers and each produces figures. Times are never asserted: only that something was counted.
 */
const SCENARIOS = ['floor', 'storm', 'storm-paced', 'booking-stream', 'schedule-change', 'boarding-pass', 'rendering', 'rate-limited', 'provider-reports', 'scale-out', 'soak'];

describe('bench smoke run', () => {
  const root = findProjectRoot(__dirname);
  // A build of its own under var/ (gitignored), so dist/ of whoever is working here is left alone.
  mkdirSync(join(root, 'var'), { recursive: true }); // a fresh clone has no var/ yet
  const out = mkdtempSync(join(root, 'var', 'bench-smoke-'));
  const results = join(out, 'results');

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs every scenario and each one counts something', () => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.bench.json', '--outDir', out, '--incremental', 'false'], {
      cwd: root,
      stdio: 'inherit',
    });
    const run = spawnSync(process.execPath, [join(out, 'bench', 'main.js')], {
      cwd: root,
      env: {
        ...process.env,
        BENCH_SCALE: '0.02',
        BENCH_PAIRS: '2',
        BENCH_DATABASE_PREFIX: `notifier_bench_smoke_${process.pid}`,
        BENCH_RESULTS_DIR: results,
      },
      encoding: 'utf8',
      timeout: 540_000,
    });
    const report = JSON.parse(readFileSync(join(results, 'latest.json'), 'utf8')) as {
      scenarios: string[];
      figures: { scenario: string; what: string; count?: number; note?: string }[];
      failures: Record<string, string>;
    };
    expect(report.failures).toEqual({});
    expect(run.status).toBe(0);
    expect(report.scenarios).toEqual(SCENARIOS);
    for (const scenario of SCENARIOS) {
      const counted = report.figures.filter((f) => f.scenario === scenario && f.count !== undefined);
      // Named in the comparison, so a failure says which scenario counted nothing.
      expect({ scenario, counted: counted.length > 0 && counted.every((f) => (f.count ?? 0) > 0) }).toEqual({ scenario, counted: true });
    }
    // A scenario divided by the floor gets a floor measured right before it; the storm and the booking stream run in
    // BENCH_PAIRS pairs of floor and scenario, and the pair of median ratio is shown, with every pair's ratio.
    expect(report.figures.filter((f) => f.what.includes('pipeline again')).map((f) => f.what)).toEqual([
      'amqp → pg pipeline again, before storm',
      'amqp → pg pipeline again, before booking-stream',
      'amqp → pg pipeline again, before scale-out',
    ]);
    for (const scenario of ['storm', 'booking-stream']) {
      const paired = report.figures.find((f) => f.scenario === scenario && f.note?.includes('median of 2 pairs'));
      expect({ scenario, note: paired?.note }).toEqual({ scenario, note: expect.stringMatching(/ratios \d+\.\d+×, \d+\.\d+×$/) });
    }
  }, 600_000);
});
