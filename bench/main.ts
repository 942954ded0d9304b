import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { boardingPassScenario } from './scenarios/boarding-pass';
import { bookingStreamScenario } from './scenarios/booking-stream';
import { scheduleChangeScenario } from './scenarios/schedule-change';
import { floorAgainScenario, floorScenario } from './scenarios/floor';
import { providerReportsScenario } from './scenarios/provider-reports';
import { rateLimitedScenario } from './scenarios/rate-limited';
import { renderingScenario } from './scenarios/rendering';
import { scaleOutScenario } from './scenarios/scale-out';
import { soakScenario } from './scenarios/soak';
import { stormPacedScenario, stormScenario } from './scenarios/storm';
import { SERVICE_MALLOC_ARENA_MAX, SERVICE_NODE_FLAGS } from './support/bench-service';
import type { BenchContext } from './support/context';
import { machineWindow } from './support/cpu-usage';
import { BenchDatabases } from './support/database';
import { machine, versions } from './support/environment-info';
import { pairedWithFloor } from './support/paired-runs';
import type { Figure, ScenarioResult } from './support/figures';
import { readSettings } from './support/settings';
import { formatTable } from './support/table';
import { evaluateTargets, formatTargets } from './support/targets';

/**
 * `npm run bench [-- <scenario…>] [--profile]`: starts what it needs against the local PostgreSQL and
 * RabbitMQ (own databases, exchange and queues per run), runs the scenarios, prints a table and writes it
 * as JSON to bench/results/latest.json. BENCH_SCALE scales every count and duration (0.02 = smoke run).
 * It measures; it asserts nothing about time.
 */
interface Scenario {
  run: (ctx: BenchContext) => Promise<ScenarioResult>;
  /** Its rates are divided by the floor's: the floor runs first in the same run, and again right before it. */
  usesFloor: boolean;
  /** Judged by its ratio to the floor (issue 19's targets): run BENCH_PAIRS times, each after a floor, the median kept. */
  paired?: boolean;
}

const SCENARIOS: Record<string, Scenario> = {
  floor: { run: floorScenario, usesFloor: false },
  storm: { run: stormScenario, usesFloor: true, paired: true },
  'storm-paced': { run: stormPacedScenario, usesFloor: false },
  'booking-stream': { run: bookingStreamScenario, usesFloor: true, paired: true },
  'schedule-change': { run: scheduleChangeScenario, usesFloor: false },
  'boarding-pass': { run: boardingPassScenario, usesFloor: false },
  rendering: { run: renderingScenario, usesFloor: false },
  'rate-limited': { run: rateLimitedScenario, usesFloor: false },
  'provider-reports': { run: providerReportsScenario, usesFloor: false },
  'scale-out': { run: scaleOutScenario, usesFloor: true },
  soak: { run: soakScenario, usesFloor: false },
};

function parseArgs(argv: string[]): { names: string[]; profile: boolean } {
  const flags = argv.filter((a) => a.startsWith('--'));
  const names = argv.filter((a) => !a.startsWith('--'));
  for (const flag of flags) if (flag !== '--profile') throw new Error(`unknown option ${flag} (known: --profile)`);
  for (const name of names) {
    if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  }
  const chosen = names.length ? names : Object.keys(SCENARIOS);
  const withFloor = chosen.some((n) => SCENARIOS[n].usesFloor) && !chosen.includes('floor') ? ['floor', ...chosen] : chosen;
  // Always in the documented order, whatever order they were named in.
  return { names: Object.keys(SCENARIOS).filter((n) => withFloor.includes(n)), profile: flags.includes('--profile') };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const settings = readSettings(process.env, { profile: args.profile || undefined });
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const databases = new BenchDatabases(settings);
  const ctx: BenchContext = { settings, databases, log };
  const host = machine();
  const used = await versions(settings);
  const header =
    `flight-notifier bench · ${new Date().toISOString()} · scale ${settings.scale}${settings.pairs > 1 ? ` · ${settings.pairs} pairs of floor + storm and of floor + booking stream, median shown` : ''} · run ${settings.runId} · sandbox outbox on ${settings.outboxRoot}\n` +
    `machine: ${host.cores} cores, ${host.cpuModel}, ${host.memoryGiB} GiB, Linux ${host.kernel}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start\n` +
    `commit: ${used.commit}; service MALLOC_ARENA_MAX=${SERVICE_MALLOC_ARENA_MAX}, node ${SERVICE_NODE_FLAGS.join(' ') || '(no flags)'}\n` +
    `versions: node ${used.node}, PostgreSQL ${used.postgresql} (malloc: ${used.postgresqlMalloc}), RabbitMQ ${used.rabbitmq}, ` +
    Object.entries(used.packages)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ');
  process.stdout.write(`${header}\n`);
  log(`scenarios: ${args.names.join(', ')}`);

  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const failures: Record<string, string> = {};
  await databases.prepareTemplate();
  // Each scenario divided by the floor is preceded by a floor of its own (the first by the full floor scenario).
  const runs = args.names.flatMap((name, i): { name: string; run: (ctx: BenchContext) => Promise<ScenarioResult> }[] => {
    const own = { name, run: SCENARIOS[name].run };
    if (SCENARIOS[name].paired && settings.pairs > 1) {
      return [{ name, run: (c: BenchContext) => pairedWithFloor(c, name, settings.pairs, (f) => floorAgainScenario(f, name), own.run) }];
    }
    if (!SCENARIOS[name].usesFloor || args.names[i - 1] === 'floor') return [own];
    return [{ name: `floor before ${name}`, run: (c: BenchContext) => floorAgainScenario(c, name) }, own];
  });
  try {
    for (const { name, run } of runs) {
      const started = Date.now();
      const scenarioWindow = machineWindow();
      try {
        const result = await run(ctx);
        const scenarioBusyCores = scenarioWindow.busyCores();
        figures.push(...result.figures.map((f) => ({ ...f, machineBusyCores: f.machineBusyCores ?? scenarioBusyCores })));
        details[name] = result.detail;
        log(`${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      } catch (error) {
        failures[name] = (error as Error).stack ?? String(error);
        log(`${name} FAILED: ${(error as Error).message}`);
      }
    }
  } finally {
    await databases.dispose().catch((error: Error) => log(`could not drop the bench databases: ${error.message}`));
  }

  const targets = evaluateTargets(figures, details);
  process.stdout.write(`\n${formatTable(figures)}\n`);
  if (targets.length) process.stdout.write(`\n${formatTargets(targets)}\n`);
  for (const [name, stack] of Object.entries(failures)) process.stdout.write(`\n${name} failed: ${stack}\n`);

  mkdirSync(settings.resultsDir, { recursive: true });
  const file = join(settings.resultsDir, 'latest.json');
  writeFileSync(
    file,
    JSON.stringify(
      { at: new Date().toISOString(), scale: settings.scale, runId: settings.runId, outboxRoot: settings.outboxRoot, scenarios: args.names, machine: host, versions: used, figures, targets, details, failures },
      null,
      2,
    ),
  );
  process.stdout.write(`\nwritten ${file}\n`);
  process.exitCode = Object.keys(failures).length ? 1 : 0;
}


main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
