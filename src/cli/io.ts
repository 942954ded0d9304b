/** Where the CLI writes: the process's streams, or buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Where the progress bar draws; it draws only when this is a terminal. */
  progress: NodeJS.WritableStream & { isTTY?: boolean };
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  progress: process.stderr,
};

/** Exit statuses, also listed in `notifier --help`. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A mistake in how the command was called, found before asking the service. */
export class UsageError extends Error {}
