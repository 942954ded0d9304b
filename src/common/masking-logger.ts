import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';
import { maskPersonalData } from './mask';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Deeper structures are written as (masked) text rather than walked further. */
const MAX_DEPTH = 8;

/**
 * Nest's console logger with masking in its one path to the terminal: every message, every field of a
 * structured (JSON) message, the context and the stack pass through maskPersonalData before they are
 * formatted. Call sites may mask too (to keep a masked recipient readable), but none can forget to.
 */
export class MaskingConsoleLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(
      messages.map((message) => maskValue(message)),
      context === undefined ? undefined : maskPersonalData(context),
      logLevel,
      writeStreamType,
      errorStack === undefined ? undefined : maskValue(errorStack),
    );
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(typeof stack === 'string' ? maskPersonalData(stack) : stack);
  }
}

/** The service's logger for a level and format (LOG_LEVEL, LOG_FORMAT). */
export function createServiceLogger(level: LogLevel, format: 'json' | 'text'): MaskingConsoleLogger {
  return new MaskingConsoleLogger({ json: format === 'json', logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1) });
}

/**
 * A copy of a log message with every string masked, keys included. An Error becomes its stack (name,
 * message, frames) only: its other properties (a failed query's parameters, PostgreSQL's `detail` with
 * the row's values) are exactly what must not be printed. Anything else that is not plain data is
 * written as masked text.
 */
export function maskValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') return maskFunction(value as (...args: unknown[]) => unknown, depth, seen);
    return value;
  }
  if (value instanceof Error) return maskPersonalData(value.stack ?? `${value.name}: ${value.message}`);
  if (value instanceof Date) return value;
  if (seen.has(value) || depth >= MAX_DEPTH) return maskPersonalData(inspect(value, { depth: 0, breakLength: Infinity }));
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1, seen));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype === Object.prototype || prototype === null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [maskPersonalData(key), maskValue(item, depth + 1, seen)]));
  }
  return maskPersonalData(inspect(value, { depth: 2, breakLength: Infinity }));
}

/** Nest prints a class as its name and calls any other function for the message: resolve it here, masked. */
function maskFunction(fn: (...args: unknown[]) => unknown, depth: number, seen: WeakSet<object>): unknown {
  const source = Function.prototype.toString.call(fn);
  if (source.startsWith('class ')) return maskPersonalData(fn.name);
  return maskValue(fn(), depth + 1, seen);
}
