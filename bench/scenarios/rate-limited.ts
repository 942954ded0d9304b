import { WhatsAppContractServer } from '../../test/support/whatsapp-contract-server';
import type { BenchContext } from '../support/context';
import type { ScenarioResult } from '../support/figures';
import { scaled } from '../support/settings';
import { steadyRate } from '../support/stats';
import { runStorm } from './storm';

export const PROVIDER_LIMIT = 1_000;
const PROVIDER = 'WhatsApp contract server (test/support), requests validated against the Cloud API OpenAPI document';
/** 60 flights × 300 = 18,000 messages: 18 s at the limit, long enough to see the steady rate. */
const FLIGHTS = 60;

/**
 * The storm on the WhatsApp channel through WhatsAppCloudAdapter (CHANNEL_WHATSAPP=whatsapp-cloud) against
 * a local Cloud API, with the adapter limited to 1,000 messages/s: how close to the limit it runs.
 */
export async function rateLimitedScenario(ctx: BenchContext): Promise<ScenarioResult> {
  // Meta's OpenAPI document is vendored (test/fixtures/whatsapp), so the contract server always starts.
  const provider = await new WhatsAppContractServer().start();
  try {
    const m = await runStorm(ctx, {
      label: 'rate-limited',
      flights: scaled(ctx.settings, FLIGHTS, 2),
      finalStatus: 'sent',
      env: { CHANNEL_WHATSAPP: 'whatsapp-cloud', WHATSAPP_RATE_PER_SECOND: String(PROVIDER_LIMIT), ...provider.env() },
    });
    // The steady rate as the provider saw it: between the 10th and 90th percentile of the arrivals (the
    // bucket's first fifth of a second is a burst, and before the first send the storm is being planned).
    const arrivals = provider.acceptedMessageTimes();
    const atProvider = arrivals.length > 10 ? steadyRate(arrivals) : undefined;
    const sustained = atProvider?.perSecond ?? m.sustainedPerSecond;
    const fraction = sustained / PROVIDER_LIMIT;
    return {
      figures: [
        {
          scenario: 'rate-limited',
          what: 'WhatsApp messages accepted by the provider',
          count: m.notifications,
          seconds: m.seconds,
          rate: sustained,
          machineBusyCores: m.cores.machine,
          note:
            `${(fraction * 100).toFixed(1)}% of the ${PROVIDER_LIMIT}/s limit (steady rate ${atProvider ? 'at the provider' : 'in the database'}, ` +
            `10th → 90th percentile)` +
            (atProvider ? `; most in any one second at the provider ${atProvider.busiestSecond}` : '') +
            `; end to end ${m.perSecond.toFixed(0)}/s; service CPU ${m.cpuMsPerNotification.service.toFixed(2)} ms per message`,
        },
      ],
      detail: { provider: PROVIDER, contractViolations: provider.violations.length, limit: PROVIDER_LIMIT, fractionOfLimit: fraction, atProvider, ...m },
    };
  } finally {
    await provider.close();
  }
}
