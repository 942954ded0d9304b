import type { Figure } from './figures';

/** A goal from issues 7 and 19, and whether this run reached it. Reported, never asserted. */
export interface TargetOutcome {
  target: string;
  measured: string;
  met: boolean;
}

type Details = Record<string, unknown>;
const get = (d: Details, path: string[]): number | undefined => {
  let value: unknown = d;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

export function evaluateTargets(figures: Figure[], details: Details): TargetOutcome[] {
  const out: TargetOutcome[] = [];
  const storm = figures.find((f) => f.scenario === 'storm');
  if (storm?.rate !== undefined) {
    out.push({ target: 'storm ≥ 3,000 notifications/s end to end', measured: `${storm.rate.toFixed(0)}/s`, met: storm.rate >= 3000 });
    if (storm.vsFloor !== undefined) {
      out.push({ target: 'storm ≥ 0.65× the bare floor (issue 19)', measured: `${storm.vsFloor.toFixed(2)}×`, met: storm.vsFloor >= 0.65 });
    }
  }
  const pgMs = get(details, ['storm', 'cpuMsPerNotification', 'postgres']);
  // Beside it, what the floor's bare insert → claim → sent cost PostgreSQL per message on this machine in this run.
  const floorPgMs = get(details, ['floor', 'pgCost', 'cpuMs']);
  const floorNote = floorPgMs === undefined ? '' : ` (bare floor ${floorPgMs.toFixed(3)} ms)`;
  if (pgMs !== undefined) out.push({ target: 'PostgreSQL CPU per storm notification ≤ 0.10 ms', measured: `${pgMs.toFixed(3)} ms${floorNote}`, met: pgMs <= 0.1 });
  const events = figures.find((f) => f.scenario === 'booking-stream' && f.what.startsWith('booking.confirmed'));
  const planned = figures.find((f) => f.scenario === 'booking-stream' && f.vsFloor !== undefined);
  if (events?.rate !== undefined) out.push({ target: 'booking stream ≥ 1,500 events/s', measured: `${events.rate.toFixed(0)}/s`, met: events.rate >= 1500 });
  if (planned?.rate !== undefined && planned.vsFloor !== undefined) {
    out.push({
      target: 'booking stream ≥ 6,000 notifications/s and ≥ 0.5× the floor',
      measured: `${planned.rate.toFixed(0)}/s, ${planned.vsFloor.toFixed(2)}×`,
      met: planned.rate >= 6000 && planned.vsFloor >= 0.5,
    });
  }
  const passes = figures.find((f) => f.scenario === 'boarding-pass' && f.what.startsWith('check-ins'));
  if (passes?.rate !== undefined) out.push({ target: 'boarding passes end to end ≥ 250/s', measured: `${passes.rate.toFixed(0)}/s`, met: passes.rate >= 250 });
  const p99 = get(details, ['storm-paced', 'flightLatency', 'p99']);
  if (p99 !== undefined) {
    out.push({ target: "a 300-passenger flight's cancellation delivered within 150 ms (p99, paced storm)", measured: `p99 ${p99.toFixed(0)} ms`, met: p99 <= 150 });
  }
  const pure = get(details, ['boarding-pass', 'pure', 'perSecond']);
  if (pure !== undefined) out.push({ target: 'boarding passes ≥ 300/s per core', measured: `${pure.toFixed(0)}/s`, met: pure >= 300 });
  const threads = get(details, ['boarding-pass', 'renderThreads']);
  const oneCore = get(details, ['boarding-pass', 'oneCore', 'perSecond']);
  if (passes?.rate !== undefined && oneCore !== undefined && threads !== undefined) {
    // Issue 19, point 3: the service renders on one thread per core (BOARDING_PASS_THREADS' default); one core's figure is
    // the pinned run's, where V8's helper threads cannot borrow another core (decision 0060).
    const share = passes.rate / (oneCore * threads);
    // The render pool alone, with no pipeline around it: how much of the gap is the pool's and how much the pipeline's.
    const pool = get(details, ['boarding-pass', 'renderPool', 'perSecond']);
    const poolShare = pool === undefined ? '' : `; the render pool alone ${((100 * pool) / (oneCore * threads)).toFixed(0)}%`;
    out.push({
      target: `boarding passes end to end ≥ 80% of one core's pure figure × ${threads} cores`,
      measured: `${(share * 100).toFixed(0)}% (${passes.rate.toFixed(0)}/s against ${threads} × ${oneCore.toFixed(0)}/s${poolShare})`,
      met: share >= 0.8,
    });
  }
  const fraction = get(details, ['rate-limited', 'fractionOfLimit']);
  if (fraction !== undefined) {
    out.push({ target: 'rate-limited storm ≥ 95% of the provider limit', measured: `${(fraction * 100).toFixed(1)}%`, met: fraction >= 0.95 });
  }
  const growth = get(details, ['soak', 'rssGrowth']);
  if (growth !== undefined) {
    out.push({ target: 'memory flat within 10% over a 10-minute soak', measured: `${(growth * 100).toFixed(1)}%`, met: Math.abs(growth) <= 0.1 });
  }
  return out;
}

export function formatTargets(targets: TargetOutcome[]): string {
  const width = Math.max(...targets.map((t) => t.target.length));
  return ['targets (this machine):', ...targets.map((t) => `  ${t.met ? 'met    ' : 'NOT met'}  ${t.target.padEnd(width)}  ${t.measured}`)].join('\n');
}
