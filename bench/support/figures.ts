import type { Latency } from './stats';

/** One line of the results table (and one entry of latest.json). */
export interface Figure {
  scenario: string;
  /** What was counted, e.g. "notifications delivered". */
  what: string;
  count?: number;
  /** Wall time the rate is measured over. */
  seconds?: number;
  /** Per second, of `count` over `seconds` unless the scenario says otherwise. */
  rate?: number;
  /** `rate` divided by the bare floor's rate for the same number of messages. */
  vsFloor?: number;
  latency?: Latency;
  /**
   * Cores the whole machine kept busy on average while the figure was measured: its own service, PostgreSQL and
   * RabbitMQ, and anything else on the machine, which shares these cores. A scenario sets it for a figure measured
   * over a window of its own; the runner fills in the whole scenario's for the others.
   */
  machineBusyCores?: number;
  /** Anything else worth one short phrase (targets, memory, fractions). */
  note?: string;
}

/** What a scenario hands back: its figures and any detail worth keeping in latest.json. */
export interface ScenarioResult {
  figures: Figure[];
  detail?: Record<string, unknown>;
}
