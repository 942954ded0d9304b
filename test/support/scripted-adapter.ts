import type { ChannelAdapter, OutboundMessage, SendResult } from '../../src/channels/channel-adapter';

/** A local provider whose answers a test scripts, recording every message and when it was sent. */
export class ScriptedAdapter implements ChannelAdapter {
  readonly sent: { message: OutboundMessage; at: number }[] = [];
  private readonly script: SendResult[] = [];
  private answerAfterMs = 0;

  constructor(
    readonly name: string,
    readonly ratePerSecond?: number,
    readonly pairIntervalMs?: number,
    private readonly otherwise: (m: OutboundMessage) => SendResult = (m) => ({ outcome: 'accepted', providerMessageId: `pm-${m.notificationId}` }),
  ) {}

  /** The next answers, in order; after them the adapter accepts everything. */
  answer(...results: SendResult[]): this {
    this.script.push(...results);
    return this;
  }

  /** Answers each send only after `ms`, as a provider across a network does (`sent` keeps the time it was sent). */
  answerAfter(ms: number): this {
    this.answerAfterMs = ms;
    return this;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    this.sent.push({ message, at: Date.now() });
    if (this.answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, this.answerAfterMs));
    return this.script.shift() ?? this.otherwise(message);
  }
}
