import type { BenchContext } from './context';
import type { BenchDatabase } from './database';

/** One statement's share of PostgreSQL's time during a measurement, per notification. */
export interface StatementCost {
  /** The normalised statement, shortened to one line. */
  statement: string;
  calls: number;
  /** Execution time (ms) per notification finished. */
  msPerNotification: number;
  /**
   * Planning time (ms) per notification finished: a statement sent without a name is planned on every call
   * (needs pg_stat_statements.track_planning, which scripts/bench-postgres.sh turns on; 0 without it).
   */
  planMsPerNotification: number;
  /** Share of all statements' execution and planning time. */
  share: number;
  /** Write-ahead log this statement wrote, bytes per notification finished. */
  walBytesPerNotification: number;
}

/**
 * All the service's statements' write-ahead log per notification finished: what PostgreSQL wrote, which unlike
 * its CPU time does not depend on how busy the VM's cores were (decision 0049).
 */
export interface WalPerNotification {
  bytes: number;
  records: number;
}

interface StatementRow {
  query: string;
  calls: string;
  exec: number;
  plan: number;
  all: number;
  /** numeric columns: pg returns them as text. */
  wal_bytes: string;
  wal_bytes_all: string;
  wal_records_all: string;
}

/**
 * Which statements PostgreSQL spends its time on, from pg_stat_statements, when the server loads it
 * (`shared_preload_libraries`; README: "Where PostgreSQL's time goes"). The machine's shared server does
 * not, and a bench may not restart it, so without it this says so and measures nothing.
 */
export class StatementStats {
  private available = false;
  private ended?: StatementRow[];

  constructor(private readonly db: BenchDatabase) {}

  async begin(): Promise<void> {
    try {
      await this.db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await this.db.query('SELECT pg_stat_statements_reset()');
      this.available = true;
    } catch {
      this.available = false;
    }
  }

  /**
   * Takes the figures as they are now, so the queries a scenario runs afterwards to read its results are not
   * counted with the service's (top() then reports these); without it top() reads them when called.
   */
  async end(limit = 8): Promise<void> {
    this.ended = await this.read(limit);
  }

  /** The costliest statements on this database since begin(), or undefined when pg_stat_statements is not loaded. */
  async top(notifications: number, limit = 8): Promise<StatementCost[] | undefined> {
    if (!this.available || notifications === 0) return undefined;
    const rows = this.ended ?? (await this.read(limit));
    const perNotification = (ms: number) => Math.round((ms / notifications) * 10_000) / 10_000;
    return rows.map((r) => ({
      statement: r.query.replace(/\s+/g, ' ').slice(0, 140),
      calls: Number(r.calls),
      msPerNotification: perNotification(r.exec),
      planMsPerNotification: perNotification(r.plan),
      share: Math.round(((r.exec + r.plan) / r.all) * 1000) / 1000,
      walBytesPerNotification: Math.round(Number(r.wal_bytes) / notifications),
    }));
  }

  /** The write-ahead log of all statements on this database since begin(), per notification; undefined as top(). */
  async wal(notifications: number): Promise<WalPerNotification | undefined> {
    if (!this.available || notifications === 0) return undefined;
    const [first] = this.ended ?? (await this.read(1));
    if (!first) return { bytes: 0, records: 0 };
    return {
      bytes: Math.round(Number(first.wal_bytes_all) / notifications),
      records: Math.round((Number(first.wal_records_all) / notifications) * 10) / 10,
    };
  }

  private async read(limit: number): Promise<StatementRow[]> {
    if (!this.available) return [];
    return this.db.query<StatementRow>(
      `SELECT s.query, s.calls, s.total_exec_time AS exec, s.total_plan_time AS plan, s.wal_bytes,
              sum(s.total_exec_time + s.total_plan_time) OVER () AS all,
              sum(s.wal_bytes) OVER () AS wal_bytes_all, sum(s.wal_records) OVER () AS wal_records_all
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = current_database()
        ORDER BY s.total_exec_time + s.total_plan_time DESC LIMIT $1`,
      [limit],
    );
  }
}

/** The statements' figures on the bench's progress log (or why there are none). */
export function logStatements(ctx: BenchContext, label: string, costs: StatementCost[] | undefined): void {
  if (!costs) {
    ctx.log(`${label}: pg_stat_statements is not loaded on this server; no per-statement figures (scripts/bench-postgres.sh)`);
    return;
  }
  ctx.log(`${label}: PostgreSQL time per notification, by statement (execution + planning), and the WAL it wrote:`);
  for (const c of costs) {
    ctx.log(`  ${c.msPerNotification.toFixed(4)} + ${c.planMsPerNotification.toFixed(4)} ms  ${(c.share * 100).toFixed(1)}%  ${c.walBytesPerNotification} B WAL  ${c.calls} calls  ${c.statement}`);
  }
}

/** A figure's note about the write-ahead log per notification (nothing without pg_stat_statements). */
export function walNote(wal: WalPerNotification | undefined): string {
  return wal ? `, WAL ${wal.bytes} B in ${wal.records} records` : '';
}
