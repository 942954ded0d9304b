/**
 * Preloaded (`node -r`) into the service processes the bench starts. Nest's shutdown hook closes the
 * app and then re-raises SIGTERM on itself, which would end the process by signal — and a process that
 * dies by signal never writes its `--cpu-prof` profile. With this listener present, that second signal
 * becomes a normal exit, so the profile is written. The service code is unchanged.
 */
let signals = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) process.exit(0);
    // If the app never finishes closing, still leave (with the profile) after a while.
    setTimeout(() => process.exit(0), 20_000).unref();
  });
}
