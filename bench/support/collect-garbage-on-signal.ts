/**
 * Preloaded (`node --expose-gc -r`) into the service processes the bench starts: SIGUSR2 runs a full
 * garbage collection, so the soak can read resident memory with only live objects left — the figure a
 * leak moves — instead of wherever V8's saw-tooth of growth between collections happens to be.
 * The service code is unchanged, and nothing collects unless the bench asks.
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect) process.on('SIGUSR2', () => collect());
