import { encodeBcbp } from './bcbp-encoder';
import { renderBoardingPassPdf } from './boarding-pass-pdf';
import { sampleBoardingPassData, sampleBoardingPassView } from './boarding-pass.sample';
import type { BoardingPassData } from './bcbp-types';
import type { BoardingPassView } from './boarding-pass-view';

/** Warm-up passes not timed: the first ones pay for JIT and for parsing the fonts. */
const WARM_UP = 50;

let sample: { data: BoardingPassData; view: BoardingPassView } | undefined;

/**
 * The sample pass with its seat and sequence number varied by `i`, so no cache sees the same pass twice: what the
 * pure figure renders, and the bench's render pool alone too (it must make the same passes to be compared).
 */
export function variedSamplePass(i: number): { data: BoardingPassData; view: BoardingPassView } {
  // Built once: the timed loop should render passes, not build the sample again each time.
  sample ??= { data: sampleBoardingPassData(), view: sampleBoardingPassView() };
  const { data, view } = sample;
  const leg = { ...data.legs[0], seat: `${(i % 40) + 1}${'ABCDEF'[i % 6]}`, sequenceNumber: (i % 9999) + 1 };
  return {
    data: { ...data, legs: [leg] },
    view: { ...view, pages: [{ ...view.pages[0], seat: leg.seat, sequenceNumber: leg.sequenceNumber }] },
  };
}

/**
 * Complete passes per second on this core, run one after another: BCBP encoding, QR module matrix and
 * the PDF (the QR is drawn from the matrix inside the renderer). No assertion here: the benchmark harness decides
 * what is fast enough.
 */
export async function benchmarkBoardingPasses(n: number): Promise<{ perSecond: number }> {
  const pass = async (i: number): Promise<void> => {
    const { data, view } = variedSamplePass(i);
    await renderBoardingPassPdf(view, 'nl-NL', encodeBcbp(data));
  };
  for (let i = 0; i < Math.min(WARM_UP, n); i++) await pass(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await pass(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: n / seconds };
}
