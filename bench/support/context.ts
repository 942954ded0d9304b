import type { BenchDatabases } from './database';
import type { BenchSettings } from './settings';

/** The bare floor's rate, which every pipeline figure is divided by. */
export interface FloorRate {
  messages: number;
  perSecond: number;
}

export interface BenchContext {
  settings: BenchSettings;
  databases: BenchDatabases;
  /** Set once the floor scenario ran in this run. */
  floor?: FloorRate;
  /** Progress for the person watching (stderr; the table goes to stdout). */
  log: (line: string) => void;
}

export function vsFloor(ctx: BenchContext, perSecond: number): number | undefined {
  return ctx.floor ? perSecond / ctx.floor.perSecond : undefined;
}
