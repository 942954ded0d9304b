import type { BenchContext } from './context';
import type { Figure, ScenarioResult } from './figures';

/** One floor measured right before one run of a scenario, and that run. */
interface Pair {
  floor: ScenarioResult;
  result: ScenarioResult;
  /** The scenario's first ratio to the floor: what the pairs are ranked by. */
  ratio: number;
}

/**
 * Runs `scenario` `pairs` times, each right after a floor of its own, and reports the pair whose ratio to its floor is
 * the median (the lower of the middle two for an even count), with every pair's ratio in its note. On a VM whose speed
 * swings within minutes, one pair's ratio moved between 0.48× and 0.77× for one build within half an hour (decision 0057); a
 * median of several says more than whichever single pair came last.
 */
export async function pairedWithFloor(
  ctx: BenchContext,
  name: string,
  pairs: number,
  floor: (ctx: BenchContext) => Promise<ScenarioResult>,
  scenario: (ctx: BenchContext) => Promise<ScenarioResult>,
): Promise<ScenarioResult> {
  const done: Pair[] = [];
  for (let i = 0; i < pairs; i++) {
    ctx.log(`${name}: pair ${i + 1} of ${pairs}`);
    const floorResult = await floor(ctx);
    const result = await scenario(ctx);
    done.push({ floor: floorResult, result, ratio: firstRatio(result.figures) ?? NaN });
  }
  const chosen = medianPair(done);
  const ratios = done.map((p) => `${p.ratio.toFixed(2)}×`).join(', ');
  const note = `median of ${pairs} pairs of floor + ${name}, ratios ${ratios}`;
  const ratioFigure = chosen.result.figures.find((f) => f.vsFloor !== undefined);
  return {
    figures: [...chosen.floor.figures, ...chosen.result.figures.map((f) => (f === ratioFigure ? { ...f, note: f.note ? `${f.note}; ${note}` : note } : f))],
    detail: { ...chosen.result.detail, pairs: done.map((p) => ({ ratio: p.ratio, floor: p.floor.detail, figures: p.result.figures })) },
  };
}

/** The pair of median ratio; the lower of the middle two when the count is even. */
export function medianPair<T extends { ratio: number }>(pairs: T[]): T {
  if (pairs.length === 0) throw new Error('no pairs to choose from');
  const sorted = [...pairs].sort((a, b) => a.ratio - b.ratio);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function firstRatio(figures: Figure[]): number | undefined {
  return figures.find((f) => f.vsFloor !== undefined)?.vsFloor;
}
