import { benchmarkBoardingPasses } from '../../src/boarding-passes/bench-boarding-pass';

/** Run by `passesOnOneCore` in a process of its own, pinned to one CPU: prints the pure figure as one line of JSON. */
async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`passes: a positive count is required, got ${process.argv[2]}`);
  const { perSecond } = await benchmarkBoardingPasses(count);
  process.stdout.write(`${JSON.stringify({ perSecond })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
