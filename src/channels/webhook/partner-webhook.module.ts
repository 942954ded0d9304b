import { Module } from '@nestjs/common';
import { PartnerWebhookAdapter } from './partner-webhook.adapter';

/** Signed JSON webhooks to the partners in PARTNER_WEBHOOKS. */
@Module({ providers: [PartnerWebhookAdapter], exports: [PartnerWebhookAdapter] })
export class PartnerWebhookModule {}
