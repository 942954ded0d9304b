import { encodeBcbp } from './bcbp-encoder';
import { renderBoardingPassPdf } from './boarding-pass-pdf';
import { sampleBoardingPassData, sampleBoardingPassView } from './boarding-pass.sample';

/** Warm-up passes not timed: the first ones pay for JIT and for parsing the fonts. */
const WARM_UP = 50;

/**
 * Complete passes per second on this core, run one after another: BCBP encoding, QR module matrix and
 * the PDF (the QR is drawn from the matrix inside the renderer). Seat and sequence vary so no cache
 * sees the same pass twice. No assertion here: the benchmark harness decides what is fast enough.
 */
export async function benchmarkBoardingPasses(n: number): Promise<{ perSecond: number }> {
  const data = sampleBoardingPassData();
  const view = sampleBoardingPassView();
  const pass = async (i: number): Promise<void> => {
    const leg = { ...data.legs[0], seat: `${(i % 40) + 1}${'ABCDEF'[i % 6]}`, sequenceNumber: (i % 9999) + 1 };
    const bcbp = encodeBcbp({ ...data, legs: [leg] });
    await renderBoardingPassPdf(
      { ...view, pages: [{ ...view.pages[0], seat: leg.seat, sequenceNumber: leg.sequenceNumber }] },
      'nl-NL',
      bcbp,
    );
  };
  for (let i = 0; i < Math.min(WARM_UP, n); i++) await pass(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await pass(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { perSecond: n / seconds };
}
