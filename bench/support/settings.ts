import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProjectRoot } from '../../src/config/project-root';

/** What every scenario needs to know about this run; read once from the environment by main.ts. */
export interface BenchSettings {
  /** Multiplies every count and duration; 1 = the documented run, 0.02 = the smoke run. */
  scale: number;
  /** Short id in every database, exchange and queue name of this run. */
  runId: string;
  /** PostgreSQL server (any database on it); the bench creates its own databases there. */
  pgUrl: string;
  amqpUrl: string;
  /** Databases are `<prefix>_template` and `<prefix>_<scenario>`, recreated per run. */
  databasePrefix: string;
  /** Keep the scenario databases after the run (to look at them); dropped by default. */
  keepDatabases: boolean;
  /** Run the service processes under `node --cpu-prof` and summarize the profiles. */
  profile: boolean;
  projectRoot: string;
  /** Where latest.json, profiles and service logs go. */
  resultsDir: string;
  /**
   * Where the sandbox channel writes its outbox during the run. tmpfs (/dev/shm) by default: on this
   * VM's disk every file or folder created costs ~0.7 ms of kernel CPU, and the sandbox creates three
   * per message, so a disk outbox measures the disk, not the pipeline. BENCH_OUTBOX_DIR=/tmp to see that.
   */
  outboxRoot: string;
  /**
   * How many times the scenarios judged by their ratio to the floor (storm, booking stream) run, each right after a
   * floor of its own; the pair of median ratio is reported (BENCH_PAIRS, default 1).
   */
  pairs: number;
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function readSettings(env: NodeJS.ProcessEnv = process.env, flags: { profile?: boolean } = {}): BenchSettings {
  const scale = Number(env.BENCH_SCALE ?? '1');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number, got ${env.BENCH_SCALE}`);
  const pairs = Number(env.BENCH_PAIRS ?? '1');
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`BENCH_PAIRS must be a whole number of at least 1, got ${env.BENCH_PAIRS}`);
  const projectRoot = findProjectRoot(__dirname);
  return {
    scale,
    runId: randomBytes(3).toString('hex'),
    pgUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    amqpUrl: env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    databasePrefix: env.BENCH_DATABASE_PREFIX ?? 'notifier_bench',
    keepDatabases: env.BENCH_KEEP_DATABASES === '1',
    profile: flags.profile ?? env.BENCH_PROFILE === '1',
    projectRoot,
    resultsDir: env.BENCH_RESULTS_DIR ?? join(projectRoot, 'bench', 'results'),
    outboxRoot: env.BENCH_OUTBOX_DIR ?? (writable('/dev/shm') ? '/dev/shm' : tmpdir()),
    pairs,
  };
}

/** A count scaled by BENCH_SCALE, never below `min`. */
export function scaled(settings: BenchSettings, full: number, min = 1): number {
  return Math.max(min, Math.round(full * settings.scale));
}
