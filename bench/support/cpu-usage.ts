import { readdirSync, readFileSync } from 'node:fs';
import { BENCH_APPLICATION_NAME, type BenchDatabase } from './database';

const TICKS = 100; // USER_HZ on Linux

/** A process's CPU seconds, or with `thread` (a task id) one thread's: a process's main thread has the process's id. */
function processSeconds(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0; // ended meanwhile
  }
}

function commandPids(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) pids.push(Number(entry));
    } catch {
      /* ended meanwhile */
    }
  }
  return pids;
}

/** Node's names for its threads (Linux's comm), and what the bench calls each kind. */
const THREAD_KINDS: Record<string, string> = {
  WorkerThread: 'worker threads',
  V8Worker: "V8's helper threads",
};

/** A Node.js process's threads by kind (main thread, worker threads, V8's helper threads, other threads), CPU seconds each. */
export function threadSecondsByKind(pid: number): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const [kind, threads] of nodeThreads([pid], '')) byKind.set(kind, [...threads.values()].reduce((sum, s) => sum + s, 0));
  return byKind;
}

/**
 * Node.js processes' threads by kind (each kind's name after `prefix`), each thread's CPU seconds: the main thread (the event loop, where ingest, planning and
 * sending take turns: the first to run out of time), worker threads (the render threads and the sandbox's writer), V8's
 * helper threads (garbage collection, compiling), the rest together.
 */
function nodeThreads(pids: number[], prefix: string): Map<string, Map<number, number>> {
  const kinds = new Map<string, Map<number, number>>();
  for (const pid of pids) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // ended meanwhile
    }
    for (const task of tasks) {
      const thread = Number(task);
      let name = '';
      try {
        name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      const kind = prefix + (thread === pid ? 'main thread' : (THREAD_KINDS[name] ?? 'other threads'));
      if (!kinds.has(kind)) kinds.set(kind, new Map());
      kinds.get(kind)!.set(thread, processSeconds(pid, thread));
    }
  }
  return kinds;
}

export function machineSeconds(): { busy: number; kernel: number } {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq + steal) / TICKS, kernel: (system + irq + softirq) / TICKS };
}

/**
 * The cores the whole machine keeps busy from now: `busyCores()` is their average since, for a figure measured over a
 * window of its own rather than its whole scenario (which also seeds, warms up, waits for the service to start).
 */
export function machineWindow(): { busyCores(): number } {
  const start = machineSeconds().busy;
  const startedAt = Date.now();
  return { busyCores: () => Math.round(((machineSeconds().busy - start) / Math.max((Date.now() - startedAt) / 1000, 0.001)) * 100) / 100 };
}

/** CPU milliseconds per unit of work (a notification, an event, a pass): cores busy × seconds ÷ units, to the µs. */
export function cpuMsPerUnit(coresBusy: number, seconds: number, units: number): number {
  return Math.round(((coresBusy * seconds * 1000) / units) * 1000) / 1000;
}

/**
 * Cores used on average during a measurement, by who used them: the service processes, the bench
 * itself, the PostgreSQL backends serving this scenario's database (the service's, and the bench's apart), RabbitMQ (the whole broker), and the
 * machine as a whole (which includes anything else running on it).
 */
export class CpuMeter {
  private start = 0;
  /** CPU seconds by who, then by process (pid; 0 for a figure of the whole bench or machine). */
  private base = new Map<string, Map<number, number>>();

  constructor(
    private readonly db: BenchDatabase,
    private readonly servicePids: () => number[],
  ) {}

  private async sample(): Promise<Map<string, Map<number, number>>> {
    // The bench's own connections (its progress probe scans the notifications table once a second: ≈ 7 % of
    // the statements' time in the storm) are counted apart, so 'postgres' is what the service cost.
    const backends = await this.db.query<{ pid: number; bench: boolean }>(
      `SELECT pid, application_name = $1 AS bench FROM pg_stat_activity WHERE datname = current_database()`,
      [BENCH_APPLICATION_NAME],
    );
    const each = (pids: number[]) => new Map(pids.map((pid) => [pid, processSeconds(pid)]));
    const whole = (seconds: number) => new Map([[0, seconds]]);
    const machine = machineSeconds();
    const self = process.cpuUsage();
    const service = this.servicePids();
    return new Map([
      ['service', each(service)],
      ...nodeThreads(service, 'service '),
      ['bench', whole((self.user + self.system) / 1e6)],
      ['postgres', each(backends.filter((b) => !b.bench).map((b) => b.pid))],
      ['postgres for the bench', each(backends.filter((b) => b.bench).map((b) => b.pid))],
      ['rabbitmq', each(commandPids('beam.smp'))],
      ['machine', whole(machine.busy)],
      ['machine kernel', whole(machine.kernel)],
    ]);
  }

  async begin(): Promise<void> {
    this.base = await this.sample();
    this.start = Date.now();
  }

  /**
   * Per process: a process that started meanwhile counts whole, one that ended meanwhile (a connection the pool
   * closed) cannot be read and counts nothing — an undercount, never a negative figure.
   */
  async end(): Promise<Record<string, number>> {
    const now = await this.sample();
    const seconds = (Date.now() - this.start) / 1000;
    const out: Record<string, number> = {};
    for (const [key, processes] of now) {
      const before = this.base.get(key);
      let used = 0;
      for (const [pid, total] of processes) used += total - (before?.get(pid) ?? 0);
      out[key] = Math.round((used / seconds) * 100) / 100;
    }
    return out;
  }
}
