import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as OrmLogger } from 'typeorm';

/** Long statements (a migration's DDL) are cut: the start says which statement it was. */
const MAX_QUERY_CHARS = 500;

/**
 * TypeORM's log lines through the service's logger (JSON format, masking) instead of TypeORM's console
 * printer. Parameters are never written: they hold phone numbers, e-mail addresses and names. A failed
 * query is logged with its SQLSTATE, PostgreSQL's primary message and the SQL text, which holds only
 * fixed fragments and $n placeholders (src/common/sql-safety.spec.ts); the message's `detail` (e.g.
 * `Key (email)=(…) already exists`, `Failing row contains (…)`) is dropped, not masked, since a name in it
 * cannot be recognised. The caller still gets the whole error and decides what it means.
 */
export class MaskedTypeOrmLogger implements OrmLogger {
  constructor(private readonly logger = new NestLogger('TypeORM')) {}

  /** Called for every query: deliberately silent (the chattiest level would double the hot path's work). */
  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn(`query failed: ${describeQueryError(error)} — ${oneLine(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${oneLine(query)}`);
  }

  /** Migration bookkeeping ("N migrations were found"): the service logs which migrations it applied. */
  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = message instanceof Error ? describeQueryError(message) : String(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.debug(text);
  }
}

/** SQLSTATE and primary message of a driver error; never its detail, parameters, where or hint. */
export function describeQueryError(error: string | Error): string {
  if (typeof error === 'string') return error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.length > 0 ? `${code} ${error.message}` : error.message;
}

function oneLine(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUERY_CHARS ? `${flat.slice(0, MAX_QUERY_CHARS)}…` : flat;
}
