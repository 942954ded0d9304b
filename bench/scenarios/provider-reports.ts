import { WhatsAppContractServer } from '../../test/support/whatsapp-contract-server';
import type { BenchContext } from '../support/context';
import type { ScenarioResult } from '../support/figures';
import { scaled } from '../support/settings';
import { walNote } from '../support/statement-stats';
import { PROVIDER_LIMIT } from './rate-limited';
import { runStorm } from './storm';

/** 20 flights × 300 = 6,000 messages, each with two status webhooks: 18,000 writes that reach a notification. */
const FLIGHTS = 20;
/** Meta posts `sent` when the message left and `delivered` when it reached the phone: here 200 ms apart each. */
const REPORT_DELAY_MS = 200;

/**
 * What a message costs PostgreSQL on a real provider, whose reports come later: the storm on WhatsApp through
 * WhatsAppCloudAdapter against the contract server, which posts each accepted message's `sent` and `delivered`
 * status webhooks (signed, as Meta does) back to the service. A notification is done when its `delivered` report
 * moved it to 'delivered'; PostgreSQL's CPU and write-ahead log per message include its reports.
 */
export async function providerReportsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const provider = await new WhatsAppContractServer().start();
  try {
    const m = await runStorm(ctx, {
      label: 'provider-reports',
      flights: scaled(ctx.settings, FLIGHTS, 2),
      finalStatus: 'delivered',
      sandbox: false,
      env: { CHANNEL_WHATSAPP: 'whatsapp-cloud', WHATSAPP_RATE_PER_SECOND: String(PROVIDER_LIMIT), ...provider.env() },
      onStarted: (pipeline) => provider.sendStatusWebhooks(() => pipeline.services[0].url, REPORT_DELAY_MS),
    });
    await provider.statusWebhooksPosted();
    return {
      figures: [
        {
          scenario: 'provider-reports',
          what: 'WhatsApp messages sent, then reported sent and delivered',
          count: m.notifications,
          seconds: m.seconds,
          rate: m.perSecond,
          machineBusyCores: m.cores.machine,
          note:
            `contract server at ${PROVIDER_LIMIT}/s, each message's two status webhooks ${REPORT_DELAY_MS} ms apart; per message with its reports: ` +
            `CPU service ${m.cpuMsPerNotification.service} ms, postgres ${m.cpuMsPerNotification.postgres} ms${walNote(m.wal)}`,
        },
      ],
      detail: { contractViolations: provider.violations.length, reportDelayMs: REPORT_DELAY_MS, ...m },
    };
  } finally {
    await provider.close();
  }
}
