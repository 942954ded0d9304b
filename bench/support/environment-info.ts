import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { rabbitmqVersion } from './broker';
import { postgresServer } from './database';
import type { BenchSettings } from './settings';

const PACKAGES = [
  '@nestjs/core',
  'typeorm',
  'pg',
  'amqplib',
  'amqp-connection-manager',
  'handlebars',
  'pdfkit',
  'qrcode',
  'typescript',
];

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
}

export interface Versions {
  /** The checkout measured: its commit, `-dirty` when it has uncommitted changes. */
  commit: string;
  node: string;
  postgresql: string;
  /** The PostgreSQL server's glibc malloc settings (decision 0062). */
  postgresqlMalloc: string;
  rabbitmq: string;
  packages: Record<string, string>;
}

export function machine(): Machine {
  const list = cpus();
  return { cores: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), kernel: release() };
}

export async function versions(settings: BenchSettings): Promise<Versions> {
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      const manifest = JSON.parse(readFileSync(join(settings.projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      packages[name] = manifest.version;
    } catch {
      packages[name] = 'missing';
    }
  }
  const postgres = await postgresServer(settings);
  return { commit: commitOf(settings.projectRoot), node: process.version, postgresql: postgres.version, postgresqlMalloc: postgres.malloc, rabbitmq: await rabbitmqVersion(settings), packages };
}

function commitOf(root: string): string {
  try {
    return execFileSync('git', ['-C', root, 'describe', '--always', '--dirty', '--abbrev=7'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown (not a git checkout)';
  }
}
