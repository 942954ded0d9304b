/**
 * Preloaded (`node --expose-gc -r`) into the service processes the bench starts: the message
 * 'collect-garbage' on the IPC channel runs a full garbage collection and answers 'garbage-collected', so
 * the soak can read resident memory with only live objects left — the figure a leak moves — instead of
 * wherever V8's saw-tooth of growth between collections happens to be. (Not a signal: Nest's shutdown
 * hooks treat SIGUSR2 and the like as "stop".) The service code is unchanged; nothing collects unless the
 * bench asks.
 */
const collect = (globalThis as { gc?: () => void }).gc;
if (collect && process.send) {
  process.on('message', (message) => {
    if (message !== 'collect-garbage') return;
    collect();
    process.send?.('garbage-collected');
  });
  // The channel must not keep a stopping service alive.
  process.channel?.unref();
}
