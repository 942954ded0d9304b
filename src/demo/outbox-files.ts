import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BOARDING_PASS_PDF, BOARDING_PASS_QR } from '../delivery/boarding-pass-attachment-source.service';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { SandboxAdapter } from '../channels/sandbox/sandbox.adapter';
import { maskContact } from '../common/mask';
import type { DeliveryChannel } from '../vocabulary/notification-types';
import type { DemoRepository } from './demo.repository';

/**
 * What the demo shows of the sandbox's outbox: only files that are there (a channel on a real provider, or an
 * outbox that could not be written, leaves none, and the demo must not point at a folder that does not exist).
 */
export class OutboxFiles {
  constructor(
    private readonly db: DemoRepository,
    private readonly channels: ChannelRegistry,
  ) {}

  /**
   * One delivered message of these events as the sandbox wrote it: a flight delay, short (not e-mail) if there
   * is one; only of `channel` when given.
   */
  async sampleMessage(eventIds: string[], channel?: DeliveryChannel): Promise<string | undefined> {
    const sent = await this.db.deliveredSamples(eventIds);
    for (const n of sent) {
      if (channel && n.channel !== channel) continue;
      const file = this.sandbox(n.channel)?.messageFile(n.channel, n.id);
      if (!file || !existsSync(file)) continue;
      const { subject, text } = JSON.parse(readFileSync(file, 'utf8')) as { subject?: string; text: string };
      const body = [subject ? `Subject: ${subject}` : undefined, text].filter(Boolean).join('\n');
      return `${n.type} on ${n.channel} to ${maskContact(n.recipient)} (${shown(file)}):\n${indent(body)}`;
    }
    return undefined;
  }

  /** The boarding passes' PDF and QR files the sandbox wrote for these events, one line per message. */
  async boardingPasses(eventIds: string[]): Promise<string[]> {
    const sent = await this.db.deliveredBoardingPasses(eventIds);
    return sent.flatMap((n) => {
      const sandbox = this.sandbox(n.channel);
      const files = [BOARDING_PASS_PDF, BOARDING_PASS_QR].map((name) => sandbox?.attachmentFile(n.channel, n.id, name)).filter((f): f is string => !!f && existsSync(f));
      return files.length ? [`${n.channel} to ${maskContact(n.recipient)}: ${files.map(shown).join('  ')}`] : [];
    });
  }

  private sandbox(channel: DeliveryChannel): SandboxAdapter | undefined {
    const adapter = this.channels.adapterFor(channel);
    return adapter instanceof SandboxAdapter ? adapter : undefined;
  }
}

/** Relative to where the demo was started when the file is below it; absolute otherwise. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
