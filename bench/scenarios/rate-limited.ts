import { WhatsAppContractServer } from '../../test/support/whatsapp-contract-server';
import type { BenchContext } from '../support/context';
import type { ScenarioResult } from '../support/figures';
import { MinimalWhatsAppServer } from '../support/minimal-whatsapp-server';
import { scaled } from '../support/settings';
import { runStorm } from './storm';

export const PROVIDER_LIMIT = 1_000;
/** 60 flights × 300 = 18,000 messages: 18 s at the limit, long enough to see the steady rate. */
const FLIGHTS = 60;

interface Provider {
  kind: string;
  env(): Record<string, string>;
  close(): Promise<void>;
  violations?: number;
}

/** The WhatsApp contract server when it can start (it needs Meta's OpenAPI document), else a bare stand-in. */
async function startProvider(ctx: BenchContext): Promise<Provider> {
  try {
    const server = await new WhatsAppContractServer().start();
    return {
      kind: 'WhatsApp contract server (test/support), requests validated against the Cloud API OpenAPI document',
      env: () => server.env(),
      close: () => server.close(),
      get violations() {
        return server.violations.length;
      },
    };
  } catch (error) {
    ctx.log(`rate-limited: contract server unavailable (${(error as Error).message}); using a minimal stand-in`);
    const server = await new MinimalWhatsAppServer().start();
    return { kind: server.kind, env: () => server.env(), close: () => server.close() };
  }
}

/**
 * The storm on the WhatsApp channel through WhatsAppCloudAdapter (CHANNEL_WHATSAPP=whatsapp-cloud) against
 * a local Cloud API, with the adapter limited to 1,000 messages/s: how close to the limit it runs.
 */
export async function rateLimitedScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const provider = await startProvider(ctx);
  try {
    const m = await runStorm(ctx, {
      label: 'rate-limited',
      flights: scaled(ctx.settings, FLIGHTS, 2),
      finalStatus: 'sent',
      env: { CHANNEL_WHATSAPP: 'whatsapp-cloud', WHATSAPP_RATE_PER_SECOND: String(PROVIDER_LIMIT), ...provider.env() },
    });
    // The bucket holds one second's worth (1,000) and starts full: that first burst is not sustained rate.
    const sustained = (m.notifications - PROVIDER_LIMIT) / m.finishingSeconds;
    const fraction = sustained / PROVIDER_LIMIT;
    return {
      figures: [
        {
          scenario: 'rate-limited',
          what: 'WhatsApp messages accepted by the provider',
          count: m.notifications,
          seconds: m.seconds,
          rate: sustained,
          note:
            `${(fraction * 100).toFixed(1)}% of the ${PROVIDER_LIMIT}/s limit (sustained: first send → last, the bucket's initial ` +
            `1,000-message burst left out); end to end ${m.perSecond.toFixed(0)}/s; busiest calendar second ${m.peakSecond}`,
        },
      ],
      detail: { provider: provider.kind, contractViolations: provider.violations, limit: PROVIDER_LIMIT, fractionOfLimit: fraction, ...m },
    };
  } finally {
    await provider.close();
  }
}
