import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import amqplib from 'amqplib';
import { Client } from 'pg';
import { createMigratedDatabase } from './databases';
import { freePort } from './service-process';

/**
 * PostgreSQL and RabbitMQ servers of a test's own, for tests that stop, kill or slow a server: the
 * machine's servers are shared (other test runs, other developers, a running service) and are never
 * stopped or restarted by a test. Each private server has its own data under one temp folder
 * (`$TMPDIR/notifier-private-*`), its own free ports and, for RabbitMQ, its own node name and Erlang cookie.
 * `stop()` kills both and removes the folder; if the test process dies first, an exit/signal hook does it,
 * and the next start removes what a killed run (SIGKILL) left behind.
 *
 * Needs the server binaries, not running servers: PostgreSQL's initdb/pg_ctl (found in PG_BINDIR,
 * /usr/lib/postgresql/<newest>/bin or PATH) and RabbitMQ's rabbitmq-server/rabbitmqctl scripts (found in
 * RABBITMQ_SCRIPTS_DIR, /usr/lib/rabbitmq/bin or PATH). initdb refuses to run as root, so under root
 * PostgreSQL runs as the `postgres` OS user (PRIVATE_PG_USER) with its data folder owned by that user.
 */

const FOLDER_PREFIX = 'notifier-private-';
/** The pid of the process that made the folder, written first: a later start removes the folder once it is gone. */
const OWNER_FILE = 'owner.pid';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PrivateServersDescription {
  /** The temp folder holding both servers' data, configuration and logs. */
  baseDir: string;
  /** The process that started them (also in `<baseDir>/owner.pid`); when it is gone, a later start removes them. */
  ownerPid: number;
  postgres: { binDir: string; dataDir: string; port: number; runAs?: string };
  rabbitmq: { scriptsDir: string; nodeName: string; port: number; distPort: number; dir: string; processGroup?: number };
}

function pathDirs(): string[] {
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean);
}

function findPostgresBinDir(): string {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  const candidates = [process.env.PG_BINDIR, ...versions.map((v) => `/usr/lib/postgresql/${v}/bin`), ...pathDirs()];
  const found = candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) throw new Error('private PostgreSQL: initdb and pg_ctl not found (install the PostgreSQL server, or set PG_BINDIR to their folder)');
  return found;
}

/**
 * The real rabbitmq-server/rabbitmqctl scripts. Debian's /usr/sbin ones are a wrapper that switches to the
 * machine's `rabbitmq` user, whose home holds the machine node's cookie: never those.
 */
function findRabbitMqScriptsDir(): string {
  const candidates = [process.env.RABBITMQ_SCRIPTS_DIR, '/usr/lib/rabbitmq/bin', ...pathDirs()];
  const found = candidates.find((dir) => {
    if (!dir || !existsSync(join(dir, 'rabbitmq-server')) || !existsSync(join(dir, 'rabbitmqctl'))) return false;
    return !realpathSync(join(dir, 'rabbitmq-server')).endsWith('rabbitmq-script-wrapper');
  });
  if (!found) throw new Error('private RabbitMQ: rabbitmq-server and rabbitmqctl not found (install RabbitMQ, or set RABBITMQ_SCRIPTS_DIR to their folder)');
  return found;
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** The process exists and is not a zombie (an exited child nobody reaped yet, e.g. in a container without init). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: kill(0) is all we know
  }
}

/** initdb and the server refuse to run as root: then they run as this OS user. */
function postgresUser(): string | undefined {
  return process.getuid?.() === 0 ? (process.env.PRIVATE_PG_USER ?? 'postgres') : undefined;
}

/** A PostgreSQL cluster in its own data folder, on its own port, trusting local connections. */
export class PrivatePostgres {
  constructor(readonly description: PrivateServersDescription['postgres']) {}

  static async start(dir: string): Promise<PrivatePostgres> {
    const binDir = findPostgresBinDir();
    const runAs = postgresUser();
    mkdirSync(dir);
    if (runAs) {
      const uid = Number(execFileSync('id', ['-u', runAs], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', runAs], { encoding: 'utf8' }));
      chownSync(dir, uid, gid);
    }
    const postgres = new PrivatePostgres({ binDir, dataDir: join(dir, 'data'), port: await freePort(), runAs });
    postgres.run('initdb', ['-D', postgres.description.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const settings = {
      listen_addresses: `'127.0.0.1'`,
      port: String(postgres.description.port),
      unix_socket_directories: `'${dir}'`,
      // A throw-away cluster: the suite kills processes, never the OS, so the page cache keeps what fsync would.
      fsync: 'off',
      max_connections: '200',
    };
    const conf = Object.entries(settings).map(([key, value]) => `${key} = ${value}`).join('\n');
    writeFileSync(join(postgres.description.dataDir, 'postgresql.conf'), `${readFileSync(join(postgres.description.dataDir, 'postgresql.conf'), 'utf8')}\n${conf}\n`);
    try {
      postgres.pgCtl(['start', '-l', postgres.logFile]);
    } catch (error) {
      postgres.stop(); // pg_ctl may give up waiting on a postmaster that still comes up
      throw error;
    }
    return postgres;
  }

  /** `postgres://postgres@127.0.0.1:<port>/<database>` (trust authentication, like the machine's test server). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.description.port}/${database}`;
  }

  /** A new database migrated to the current schema, as the service would find it after its first start. */
  createMigratedDatabase(name: string): Promise<string> {
    return createMigratedDatabase(this.url(), name);
  }

  /** Fast shutdown (clients are disconnected, in-flight transactions roll back) and start again. */
  restart(): void {
    // -l again: restart reuses the server's options but not the log file, and a postmaster writing to our pipes would hold them open.
    this.pgCtl(['restart', '-m', 'fast', '-l', this.logFile]);
  }

  private get logFile(): string {
    return join(this.description.dataDir, '..', 'server.log');
  }

  async startedAt(): Promise<Date> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      return (await client.query<{ t: Date }>('SELECT pg_postmaster_start_time() AS t')).rows[0].t;
    } finally {
      await client.end();
    }
  }

  /** Immediate shutdown; the postmaster's own pid if pg_ctl cannot. Never throws (it runs in teardown). */
  stop(): void {
    const pidFile = join(this.description.dataDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    try {
      this.pgCtl(['stop', '-m', 'immediate']);
    } catch {
      const pid = readPid(pidFile);
      if (pid && ownsProcess(pid, this.description.dataDir)) killIfAlive(pid);
    }
  }

  private pgCtl(args: string[]): void {
    this.run('pg_ctl', ['-D', this.description.dataDir, '-w', '-t', '60', ...args]);
  }

  private run(program: string, args: string[]): void {
    const binary = join(this.description.binDir, program);
    const [command, argv] = this.description.runAs ? ['runuser', ['-u', this.description.runAs, '--', binary, ...args]] : [binary, args];
    try {
      execFileSync(command, argv, { cwd: join(this.description.dataDir, '..'), stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    } catch (error) {
      const output = (error as { stderr?: Buffer; stdout?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`private PostgreSQL: ${program} ${args.join(' ')} failed: ${output}\n${tail(this.logFile)}`);
    }
  }
}

/** A RabbitMQ node of its own (name, ports, cookie, data, logs, no plugins); guest/guest on 127.0.0.1. */
export class PrivateRabbitMq {
  constructor(readonly description: PrivateServersDescription['rabbitmq']) {}

  static async start(dir: string, label: string): Promise<PrivateRabbitMq> {
    const rabbitmq = new PrivateRabbitMq({
      scriptsDir: findRabbitMqScriptsDir(),
      nodeName: `${label}-${process.pid}-${randomBytes(2).toString('hex')}@localhost`,
      port: await freePort(),
      distPort: await freePort(),
      dir,
    });
    for (const sub of ['home', 'mnesia', 'log']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'home', '.erlang.cookie'), randomBytes(20).toString('hex').toUpperCase(), { mode: 0o400 });
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    writeFileSync(join(dir, 'rabbitmq-env.conf'), '# empty: nothing from /etc/rabbitmq/rabbitmq-env.conf (the machine node name)\n');
    writeFileSync(
      join(dir, 'rabbitmq.conf'),
      [`listeners.tcp.default = 127.0.0.1:${rabbitmq.description.port}`, 'disk_free_limit.absolute = 50MB', 'vm_memory_high_watermark.absolute = 1GB', ''].join('\n'),
    );
    const out = openSync(join(dir, 'server.out'), 'a');
    // Its own process group: a Ctrl-C at the terminal reaches the test run, whose hooks stop the node.
    const child = spawn(join(rabbitmq.description.scriptsDir, 'rabbitmq-server'), [], {
      cwd: join(dir, 'home'),
      env: {
        ...rabbitmq.environment(),
        RABBITMQ_NODE_PORT: String(rabbitmq.description.port),
        RABBITMQ_DIST_PORT: String(rabbitmq.description.distPort),
        RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
        RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
        RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
        RABBITMQ_LOG_BASE: join(dir, 'log'),
        RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
        RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
      },
      detached: true,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    child.unref();
    rabbitmq.description.processGroup = child.pid;
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await amqplib
        .connect(rabbitmq.url, { timeout: 5_000 })
        .then((c) => c.close().then(() => true))
        .catch(() => false);
      if (ok) break;
      if (exited !== undefined || Date.now() > deadline) {
        rabbitmq.stopSync();
        throw new Error(`private RabbitMQ ${rabbitmq.description.nodeName} did not start${exited !== undefined ? ` (exit ${exited})` : ''}:\n${tail(join(dir, 'server.out'))}`);
      }
      await sleep(250);
    }
    try {
      rabbitmq.ctl(['await_startup']);
    } catch (error) {
      rabbitmq.stopSync();
      throw error;
    }
    return rabbitmq;
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.description.port}`;
  }

  get nodeName(): string {
    return this.description.nodeName;
  }

  /** rabbitmqctl against this node only (`-n`, with this node's cookie); returns its output. */
  ctl(args: string[]): string {
    return execFileSync(join(this.description.scriptsDir, 'rabbitmqctl'), ['-n', this.description.nodeName, '-q', ...args], {
      cwd: join(this.description.dir, 'home'),
      env: this.environment(),
      encoding: 'utf8',
      timeout: 90_000,
    });
  }

  /** Stops the broker application (every client is disconnected); the Erlang node stays up. */
  stopApp(): void {
    this.ctl(['stop_app']);
  }

  startApp(): void {
    this.ctl(['start_app']);
    this.ctl(['await_startup']);
  }

  /** Ready and unacknowledged messages of a queue (the broker refreshes these every few seconds). */
  queueDepth(queue: string): { ready: number; unacked: number } {
    const line = this.ctl(['list_queues', 'name', 'messages_ready', 'messages_unacknowledged'])
      .split('\n')
      .find((l) => l.startsWith(`${queue}\t`));
    const [, ready, unacked] = (line ?? '').split('\t').map(Number);
    return { ready: ready || 0, unacked: unacked || 0 };
  }

  /** SIGTERM (the Erlang node stops cleanly), SIGKILL what is left after 15 s. */
  async stop(): Promise<void> {
    this.signal('SIGTERM');
    const deadline = Date.now() + 15_000;
    while (this.processes().length > 0 && Date.now() < deadline) await sleep(100);
    this.stopSync();
  }

  /** Kills what is left at once (exit hooks cannot wait). */
  stopSync(): void {
    this.signal('SIGKILL');
  }

  /** To the process group (the rabbitmq-server script, the Erlang VM and its helpers), or the VM alone if the script is gone. */
  private signal(signal: NodeJS.Signals): void {
    const group = this.description.processGroup;
    for (const pid of this.processes()) {
      try {
        process.kill(pid === group ? -pid : pid, signal);
      } catch {
        // Gone meanwhile.
      }
    }
  }

  /** The node's script and VM that still run, checked to be ours (a pid from a file may have been reused). */
  private processes(): number[] {
    const candidates = [this.description.processGroup, readPid(join(this.description.dir, 'rabbitmq.pid'))];
    return candidates.filter((pid): pid is number => pid !== undefined && isAlive(pid) && ownsProcess(pid, this.description.dir));
  }

  /** Only this node's settings, never the machine's (no inherited RABBITMQ_*, its own HOME and cookie). */
  private environment(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      LANG: process.env.LANG ?? 'C.UTF-8',
      HOME: join(this.description.dir, 'home'),
      RABBITMQ_NODENAME: this.description.nodeName,
      RABBITMQ_CONF_ENV_FILE: join(this.description.dir, 'rabbitmq-env.conf'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
  }
}

/** Whether `pid` runs with this private folder in its command line or environment (a recycled pid is someone else's). */
function ownsProcess(pid: number, dir: string): boolean {
  const read = (file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return '';
    }
  };
  // The folder as a whole path component (another folder's name may start with this one's).
  const names = (text: string) => text.includes(`${dir}/`) || text.includes(`${dir}\0`) || text.endsWith(dir);
  return names(read('cmdline')) || names(read('environ'));
}

/** The first line of a pid file, if the file exists. */
function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const running = new Set<PrivateServers>();
let hooksInstalled = false;

/** If the test process ends without stopping its servers (a crash, Ctrl-C, --forceExit), they go with it. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', () => {
    for (const servers of running) servers.stopSync();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const servers of running) servers.stopSync();
      process.exit(128 + constants.signals[signal]); // as the signal's default action would have ended it
    });
  }
}

/**
 * Removes private servers whose starting process is gone (SIGKILLed before its hooks could run, even in the
 * middle of starting them): PostgreSQL is stopped by its data folder, then every process still naming the
 * folder in its command line or environment is killed, and the folder goes.
 */
function removeAbandoned(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(FOLDER_PREFIX))) {
    const baseDir = join(tmpdir(), name);
    const owner = readPid(join(baseDir, OWNER_FILE));
    if (!owner || isAlive(owner)) continue; // not ours, or still in use
    const dataDir = join(baseDir, 'pg', 'data');
    try {
      if (existsSync(join(dataDir, 'postmaster.pid'))) new PrivatePostgres({ binDir: findPostgresBinDir(), dataDir, port: 0, runAs: postgresUser() }).stop();
    } catch {
      // Killed below.
    }
    for (const pid of processesNaming(baseDir)) killIfAlive(pid);
    rmSync(baseDir, { recursive: true, force: true });
  }
}

/** Processes (other than this one) whose command line or environment names `dir`; none without /proc. */
/** SIGKILL, where a process that ended between listing and killing (ESRCH: the stopped postmaster's children) is fine. */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function processesNaming(dir: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && isAlive(pid) && ownsProcess(pid, dir));
}

export interface PrivateServersOptions {
  /** Names the RabbitMQ node `<label>-<pid>-<random>@localhost` and the temp folder. */
  label?: string;
}

/** A private PostgreSQL and RabbitMQ, started together (in parallel) and removed together. */
export class PrivateServers {
  readonly postgres: PrivatePostgres;
  readonly rabbitmq: PrivateRabbitMq;

  constructor(readonly description: PrivateServersDescription) {
    this.postgres = new PrivatePostgres(description.postgres);
    this.rabbitmq = new PrivateRabbitMq(description.rabbitmq);
  }

  static async start(options: PrivateServersOptions = {}): Promise<PrivateServers> {
    const label = options.label ?? 'notifier-test';
    removeAbandoned();
    installExitHooks();
    const baseDir = mkdtempSync(join(tmpdir(), `${FOLDER_PREFIX}${label}-`));
    writeFileSync(join(baseDir, OWNER_FILE), String(process.pid));
    chmodSync(baseDir, 0o711); // PostgreSQL's own user must reach its data folder inside
    const [postgres, rabbitmq] = await Promise.allSettled([PrivatePostgres.start(join(baseDir, 'pg')), PrivateRabbitMq.start(join(baseDir, 'rabbitmq'), label)]);
    if (postgres.status === 'rejected' || rabbitmq.status === 'rejected') {
      if (postgres.status === 'fulfilled') postgres.value.stop();
      if (rabbitmq.status === 'fulfilled') rabbitmq.value.stopSync();
      rmSync(baseDir, { recursive: true, force: true });
      throw postgres.status === 'rejected' ? postgres.reason : (rabbitmq as PromiseRejectedResult).reason;
    }
    const servers = new PrivateServers({ baseDir, ownerPid: process.pid, postgres: postgres.value.description, rabbitmq: rabbitmq.value.description });
    running.add(servers);
    return servers;
  }

  /** Stops both servers and removes their folder. */
  async stop(): Promise<void> {
    try {
      await this.rabbitmq.stop();
    } finally {
      this.stopSync();
    }
  }

  stopSync(): void {
    running.delete(this);
    try {
      this.postgres.stop();
    } finally {
      this.rabbitmq.stopSync();
      rmSync(this.description.baseDir, { recursive: true, force: true });
    }
  }
}
