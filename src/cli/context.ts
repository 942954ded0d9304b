import type { Command } from 'commander';
import { ApiClient } from './api-client';
import type { CliIo } from './io';

export const DEFAULT_URL = 'http://localhost:3000';

export interface GlobalOptions {
  url: string;
  token?: string;
  json?: boolean;
}

/** What every command gets: the client built from the global options, the output, and --json. */
export interface CommandContext {
  api: ApiClient;
  io: CliIo;
  json: boolean;
  /** Prints a value as JSON (for --json). */
  printJson(value: unknown): void;
}

export function contextOf(command: Command, io: CliIo): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  return {
    api: new ApiClient(options.url, options.token),
    io,
    json: options.json ?? false,
    printJson: (value) => io.out(`${JSON.stringify(value, null, 2)}\n`),
  };
}
