import type { BenchContext } from '../support/context';
import { vsFloor } from '../support/context';
import type { Figure, ScenarioResult } from '../support/figures';
import { scaled } from '../support/settings';
import { runStorm, STORM_FLIGHTS, StormMeasurement } from './storm';

/**
 * The storm with 1, 2 and 3 service processes side by side on one database and one queue: throughput
 * each, and the database's word that nothing was sent twice.
 */
export async function scaleOutScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const figures: Figure[] = [];
  const runs: Record<string, StormMeasurement> = {};
  for (const replicas of [1, 2, 3]) {
    const m = await runStorm(ctx, { label: `scale-out-${replicas}`, flights: scaled(ctx.settings, STORM_FLIGHTS, 2), replicas });
    runs[replicas] = m;
    const once = m.exactlyOnce;
    const clean = once.attemptedOnce === m.expected && once.attemptedMoreThanOnce === 0 && once.duplicateDedupeKeys === 0;
    figures.push({
      scenario: 'scale-out',
      what: `${replicas} replica${replicas > 1 ? 's' : ''}: notifications delivered`,
      count: m.notifications,
      seconds: m.seconds,
      rate: m.perSecond,
      vsFloor: vsFloor(ctx, m.perSecond),
      latency: m.flightLatency,
      machineBusyCores: m.cores.machine,
      note:
        `${clean ? 'sent once each' : 'NOT exactly once'}: ${once.attemptedOnce}/${m.expected} with one delivered attempt, ` +
        `${once.attemptedMoreThanOnce} attempted twice, ${once.duplicateDedupeKeys} duplicate keys; CPU-s per replica ${m.cpuSeconds.join('/')}`,
    });
  }
  return { figures, detail: runs };
}
